package dev.meshgate.discovery;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One watch that serves its last known endpoints because its source cannot currently confirm them.
 *
 * @param source what is watched, for people: {@code consul:catalog@dc1}
 * @param since when the source stopped answering (or started answering in a way that is not
 *     trusted, such as an empty list right after a restart)
 * @param reason the last error, for people
 * @param endpoints how many last known endpoints keep being served
 */
public record Staleness(String source, Instant since, String reason, int endpoints) {
  public Staleness {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(since, "since");
    Objects.requireNonNull(reason, "reason");
  }

  /** How long the endpoints have been unconfirmed at {@code now}. */
  public Duration age(Instant now) {
    return Duration.between(since, now);
  }
}
