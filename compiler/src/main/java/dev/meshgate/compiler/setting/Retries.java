package dev.meshgate.compiler.setting;

import static dev.meshgate.compiler.setting.SettingCodes.*;

import dev.meshgate.compiler.ast.DurationLit;
import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ir.RouteActionIr;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code retry N [on c, …] [per-try D]}. Envoy: {@code translate/Retries} (the route's retry
 * policy); not simulated; goldens: {@code retry-timeout/}.
 */
final class Retries implements Setting<RouteStmt.Retry> {
  /** Retry conditions, named as Envoy's retry_on names them. */
  static final List<String> CONDITIONS =
      List.of(
          "5xx", "gateway-error", "reset", "connect-failure", "retriable-4xx", "refused-stream");

  /** Retry conditions when a route says {@code retry N} without {@code on}. */
  static final List<String> DEFAULT_ON = List.of("5xx", "reset", "connect-failure");

  @Override
  public Class<RouteStmt.Retry> node() {
    return RouteStmt.Retry.class;
  }

  @Override
  public Set<Attachment> attachments() {
    return Set.of(Attachment.GATEWAY, Attachment.HOST, Attachment.ROUTE, Attachment.CALL);
  }

  @Override
  public Role role() {
    return Role.FORWARDING;
  }

  @Override
  public void check(RouteStmt.Retry r, SettingChecks checks) {
    if (r.attempts().value() < 1 || r.attempts().value() > 10) {
      checks.error(
          RETRY_ATTEMPTS,
          r.attempts().span(),
          "retry attempts must be from 1 to 10, found " + r.attempts().text());
    }
    Set<String> seen = new TreeSet<>();
    for (Name c : r.on()) {
      if (!CONDITIONS.contains(c.text())) {
        checks.error(
            UNKNOWN_RETRY_CONDITION,
            c.span(),
            "unknown retry condition \""
                + c.text()
                + "\"; valid conditions: "
                + String.join(", ", CONDITIONS));
      } else if (!seen.add(c.text())) {
        checks.error(
            UNKNOWN_RETRY_CONDITION,
            c.span(),
            "retry condition \"" + c.text() + "\" is listed twice");
      }
    }
    r.perTry().ifPresent(checks::duration);
    if (checks.forwards() && checks.first(RouteStmt.Retry.class).orElseThrow() == r) {
      budget(r, checks.first(RouteStmt.Timeout.class), checks);
    }
  }

  /** The first try and every retry may each use the whole per-try timeout: do they fit? */
  private static void budget(
      RouteStmt.Retry retry, Optional<RouteStmt.Timeout> timeout, SettingChecks checks) {
    Optional<Duration> perTry = retry.perTry().flatMap(DurationLit::value);
    if (perTry.isEmpty()
        || perTry.get().isZero()
        || retry.attempts().value() < 1
        || retry.attempts().value() > 10) {
      return;
    }
    long tries = retry.attempts().value() + 1;
    Duration total = perTry.get().multipliedBy(tries);
    Optional<Duration> explicit = timeout.flatMap(t -> t.duration().value());
    if (timeout.isPresent() && (explicit.isEmpty() || explicit.get().isZero())) {
      return;
    }
    Duration limit = explicit.orElse(Timeouts.ENVOY_DEFAULT);
    if (total.compareTo(limit) > 0) {
      String which =
          timeout.isEmpty()
              ? "Envoy's default route timeout of 15s"
              : ("the " + checks.where().keyword() + " timeout of ")
                  + timeout.get().duration().text();
      checks.warning(
          RETRIES_EXCEED_TIMEOUT,
          retry.span(),
          "the first try and "
              + retry.attempts().text()
              + (tries == 2 ? " retry" : " retries")
              + " can take "
              + tries
              + " × "
              + retry.perTry().get().text()
              + " = "
              + format(total)
              + ", longer than "
              + which
              + ", so "
              + (tries == 2 ? "the retry" : "the last retries")
              + " would be cut off; lower `per-try` or the"
              + " number of retries, or raise the timeout");
    }
  }

  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }

  @Override
  public void lower(RouteStmt.Retry r, RouteParts parts) {
    parts.retry(
        new RouteActionIr.RetryIr(
            (int) r.attempts().value(),
            r.on().isEmpty() ? DEFAULT_ON : r.on().stream().map(Name::text).toList(),
            r.perTry().flatMap(DurationLit::value)));
  }
}
