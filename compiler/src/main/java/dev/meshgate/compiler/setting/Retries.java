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
 * {@code retry N [on c, …] [per-try D] [backoff B [max M]] [idempotent]}; a condition may be a
 * status code ({@code on 503, 429}). Envoy: {@code translate/Retries} (the route's retry policy,
 * which also never retries on the endpoint that just failed); not simulated; goldens: {@code
 * retry-timeout/}, {@code retries/}.
 */
final class Retries implements Setting<RouteStmt.Retry> {
  /** Retry conditions, named as Envoy's retry_on names them. */
  static final List<String> CONDITIONS =
      List.of(
          "5xx",
          "gateway-error",
          "reset",
          "reset-before-request",
          "connect-failure",
          "retriable-4xx",
          "refused-stream");

  /**
   * Conditions under which the failed request never reached the application, so retrying is safe
   * for any method.
   */
  static final Set<String> SAFE_FOR_ANY_METHOD =
      Set.of("connect-failure", "refused-stream", "reset-before-request");

  /** Methods whose repeat may do the work twice (RFC 9110: neither safe nor idempotent). */
  static final Set<String> NOT_IDEMPOTENT = Set.of("POST", "PATCH");

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
      if (isStatus(c.text())) {
        int status = Integer.parseInt(c.text());
        if (status < 400 || status > 599) {
          checks.error(
              UNKNOWN_RETRY_CONDITION,
              c.span(),
              "a retriable status code must be from 400 to 599, found " + c.text());
        } else if (!seen.add(c.text())) {
          checks.error(
              UNKNOWN_RETRY_CONDITION,
              c.span(),
              "retry condition \"" + c.text() + "\" is listed twice");
        }
      } else if (!CONDITIONS.contains(c.text())) {
        checks.error(
            UNKNOWN_RETRY_CONDITION,
            c.span(),
            "unknown retry condition \""
                + c.text()
                + "\"; valid conditions: "
                + String.join(", ", CONDITIONS)
                + ", or a status code like 503");
      } else if (!seen.add(c.text())) {
        checks.error(
            UNKNOWN_RETRY_CONDITION,
            c.span(),
            "retry condition \"" + c.text() + "\" is listed twice");
      }
    }
    r.perTry().ifPresent(checks::duration);
    r.backoff().ifPresent(checks::duration);
    r.backoffMax().ifPresent(checks::duration);
    Optional<Duration> base = r.backoff().flatMap(DurationLit::value);
    Optional<Duration> max = r.backoffMax().flatMap(DurationLit::value);
    if (base.isPresent() && max.isPresent() && max.get().compareTo(base.get()) < 0) {
      checks.error(
          INVALID_BACKOFF,
          r.backoffMax().get().span(),
          "the backoff's max "
              + r.backoffMax().get().text()
              + " is shorter than its base "
              + r.backoff().get().text()
              + "; the wait doubles from the base up to the max, so raise max or lower the base");
    }
    if (checks.forwards() && checks.first(RouteStmt.Retry.class).orElseThrow() == r) {
      budget(r, checks.first(RouteStmt.Timeout.class), checks);
      idempotence(r, checks);
    }
  }

  static boolean isStatus(String condition) {
    return !condition.isEmpty() && condition.chars().allMatch(Character::isDigit);
  }

  /** A retry may repeat a POST the backend already acted on, unless the policy says it is safe. */
  private static void idempotence(RouteStmt.Retry r, SettingChecks checks) {
    if (r.idempotent() || checks.route().isEmpty()) {
      return;
    }
    List<String> methods = notIdempotent(checks.route().get().methods());
    List<String> unsafe = unsafeConditions(r);
    if (methods.isEmpty() || unsafe.isEmpty()) {
      return;
    }
    checks.warning(
        RETRY_NOT_IDEMPOTENT,
        r.span(),
        "this route takes "
            + String.join(" and ", methods)
            + ", which may not be safe to repeat, and retries on "
            + String.join(", ", unsafe)
            + " after the backend may have acted; add `idempotent` to the retry if repeating is"
            + " safe, or retry only on connect-failure, refused-stream or reset-before-request");
  }

  /** The methods among {@code methods} that may not be safe to repeat. */
  static List<String> notIdempotent(List<Name> methods) {
    return methods.stream().map(Name::text).filter(NOT_IDEMPOTENT::contains).toList();
  }

  /** The retry's conditions under which the backend may already have acted. */
  static List<String> unsafeConditions(RouteStmt.Retry r) {
    List<String> on = r.on().isEmpty() ? DEFAULT_ON : r.on().stream().map(Name::text).toList();
    return on.stream().filter(c -> !SAFE_FOR_ANY_METHOD.contains(c)).toList();
  }

  /** The first try and every retry may each use the whole per-try timeout: do they fit? */
  private static void budget(
      RouteStmt.Retry retry, Optional<RouteStmt.Timeout> timeout, SettingChecks checks) {
    Optional<DurationLit> perTryLit =
        retry
            .perTry()
            .or(() -> checks.first(RouteStmt.BackendTimeout.class).map(b -> b.duration()));
    Optional<Duration> perTry = perTryLit.flatMap(DurationLit::value);
    if (perTry.isEmpty()
        || perTry.get().isZero()
        || retry.attempts().value() < 1
        || retry.attempts().value() > 10) {
      return;
    }
    long tries = retry.attempts().value() + 1;
    // Not Duration.multipliedBy: it goes through BigDecimal, whose class initialisation was about
    // a tenth of a small `check`'s main thread (issue 17.4). Same result, same overflow error.
    Duration p = perTry.get();
    Duration total =
        Duration.ofSeconds(Math.multiplyExact(p.getSeconds(), tries), (long) p.getNano() * tries);
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
              + perTryLit.get().text()
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
    List<String> written = r.on().stream().map(Name::text).toList();
    List<String> on = written.isEmpty() ? DEFAULT_ON : written;
    parts.retry(
        new RouteActionIr.RetryIr(
            (int) r.attempts().value(),
            on.stream().filter(c -> !isStatus(c)).toList(),
            r.perTry().flatMap(DurationLit::value),
            on.stream().filter(Retries::isStatus).map(Integer::valueOf).sorted().toList(),
            r.backoff().flatMap(DurationLit::value),
            r.backoffMax().flatMap(DurationLit::value)));
  }
}
