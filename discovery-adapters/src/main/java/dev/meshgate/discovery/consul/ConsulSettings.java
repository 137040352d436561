package dev.meshgate.discovery.consul;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How {@link ConsulCatalog} talks to Consul.
 *
 * @param address the agent's HTTP(S) API, for example {@code http://127.0.0.1:8500}
 * @param aclToken sent as {@code X-Consul-Token} when present
 * @param caFile PEM file with the CA certificate(s) that sign the agent's HTTPS certificate; when
 *     absent, HTTPS uses the JVM's default trust store
 * @param zoneKey the node metadata key that names the node's zone (Envoy locality)
 * @param blockingWait how long one blocking query may wait for a change before Consul answers
 *     anyway (Consul caps it at 10 minutes and adds up to wait/16 of jitter)
 * @param minBackoff first retry delay after a failed request
 * @param maxBackoff the retry delay doubles up to this
 * @param emptyAfterOutageGrace how long an empty answer that follows an outage or a reset of
 *     Consul's state is not trusted (a restarted dev agent, or an agent whose services are not
 *     re-synced yet): the last known endpoints keep serving until Consul confirms or the grace runs
 *     out
 * @param initialAnswerWait how long the first subscription of a service waits for Consul's first
 *     answer, so that the first configuration served is complete
 */
public record ConsulSettings(
    URI address,
    Optional<String> aclToken,
    Optional<Path> caFile,
    String zoneKey,
    Duration blockingWait,
    Duration minBackoff,
    Duration maxBackoff,
    Duration emptyAfterOutageGrace,
    Duration initialAnswerWait) {

  public static final String DEFAULT_ZONE_KEY = "zone";
  public static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);
  public static final Duration DEFAULT_MIN_BACKOFF = Duration.ofMillis(250);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);
  public static final Duration DEFAULT_EMPTY_GRACE = Duration.ofSeconds(30);
  public static final Duration DEFAULT_INITIAL_WAIT = Duration.ofSeconds(2);

  public ConsulSettings {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(aclToken, "aclToken");
    Objects.requireNonNull(caFile, "caFile");
    Objects.requireNonNull(zoneKey, "zoneKey");
    if (!"http".equals(address.getScheme()) && !"https".equals(address.getScheme())) {
      throw new IllegalArgumentException("Consul address must be http:// or https://: " + address);
    }
    if (address.getHost() == null || address.getPort() < 1) {
      throw new IllegalArgumentException("Consul address needs a host and a port: " + address);
    }
    positive("blockingWait", blockingWait);
    positive("minBackoff", minBackoff);
    positive("maxBackoff", maxBackoff);
    if (maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff is less than minBackoff");
    }
    if (blockingWait.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException(
          "Consul caps blocking queries at 10 minutes: " + blockingWait);
    }
    Objects.requireNonNull(emptyAfterOutageGrace, "emptyAfterOutageGrace");
    Objects.requireNonNull(initialAnswerWait, "initialAnswerWait");
    aclToken = aclToken.filter(t -> !t.isBlank());
  }

  /**
   * Defaults for {@code address}: {@code HOST:PORT} (plain HTTP), or a full {@code http://} or
   * {@code https://} URL, or {@code consul://HOST:PORT}.
   */
  public static ConsulSettings of(String address) {
    return new ConsulSettings(
        parseAddress(address, false),
        Optional.empty(),
        Optional.empty(),
        DEFAULT_ZONE_KEY,
        DEFAULT_WAIT,
        DEFAULT_MIN_BACKOFF,
        DEFAULT_MAX_BACKOFF,
        DEFAULT_EMPTY_GRACE,
        DEFAULT_INITIAL_WAIT);
  }

  /**
   * {@code HOST:PORT}, {@code http://HOST:PORT}, {@code https://HOST:PORT} or {@code
   * consul://HOST:PORT}; without a scheme, {@code https} when {@code tls}.
   */
  public static URI parseAddress(String address, boolean tls) {
    String text = address.strip();
    if (text.startsWith("consul://")) {
      text = text.substring("consul://".length());
    }
    if (!text.contains("://")) {
      text = (tls ? "https://" : "http://") + text;
    }
    URI uri;
    try {
      uri = URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a Consul address (HOST:PORT): " + address, e);
    }
    if (uri.getHost() == null || uri.getPort() < 1) {
      throw new IllegalArgumentException(
          "not a Consul address, expected HOST:PORT (for example 127.0.0.1:8500): " + address);
    }
    return URI.create(uri.getScheme() + "://" + hostPort(uri));
  }

  private static String hostPort(URI uri) {
    return uri.getHost() + ":" + uri.getPort();
  }

  public ConsulSettings withAclToken(Optional<String> token) {
    return new ConsulSettings(
        address,
        token,
        caFile,
        zoneKey,
        blockingWait,
        minBackoff,
        maxBackoff,
        emptyAfterOutageGrace,
        initialAnswerWait);
  }

  /** Trusts the CA in {@code file}; switches a plain {@code http} address to {@code https}. */
  public ConsulSettings withCaFile(Optional<Path> file) {
    URI a =
        file.isPresent() && address.getScheme().equals("http")
            ? URI.create("https://" + hostPort(address))
            : address;
    return new ConsulSettings(
        a,
        aclToken,
        file,
        zoneKey,
        blockingWait,
        minBackoff,
        maxBackoff,
        emptyAfterOutageGrace,
        initialAnswerWait);
  }

  public ConsulSettings withZoneKey(String key) {
    return new ConsulSettings(
        address,
        aclToken,
        caFile,
        key,
        blockingWait,
        minBackoff,
        maxBackoff,
        emptyAfterOutageGrace,
        initialAnswerWait);
  }

  public ConsulSettings withBlockingWait(Duration w) {
    return new ConsulSettings(
        address,
        aclToken,
        caFile,
        zoneKey,
        w,
        minBackoff,
        maxBackoff,
        emptyAfterOutageGrace,
        initialAnswerWait);
  }

  public ConsulSettings withBackoff(Duration min, Duration max) {
    return new ConsulSettings(
        address,
        aclToken,
        caFile,
        zoneKey,
        blockingWait,
        min,
        max,
        emptyAfterOutageGrace,
        initialAnswerWait);
  }

  public ConsulSettings withEmptyAfterOutageGrace(Duration grace) {
    return new ConsulSettings(
        address,
        aclToken,
        caFile,
        zoneKey,
        blockingWait,
        minBackoff,
        maxBackoff,
        grace,
        initialAnswerWait);
  }

  public ConsulSettings withInitialAnswerWait(Duration w) {
    return new ConsulSettings(
        address,
        aclToken,
        caFile,
        zoneKey,
        blockingWait,
        minBackoff,
        maxBackoff,
        emptyAfterOutageGrace,
        w);
  }

  @Override
  public String toString() {
    // Never print the token.
    return "ConsulSettings["
        + address
        + (aclToken.isPresent() ? ", token ****" : "")
        + caFile.map(f -> ", ca " + f).orElse("")
        + "]";
  }

  private static void positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }
}
