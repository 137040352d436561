package dev.meshgate.compiler.setting;

import static dev.meshgate.compiler.setting.SettingCodes.*;

import dev.meshgate.compiler.ast.DurationLit;
import dev.meshgate.compiler.ast.RouteStmt;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * {@code backend-timeout 2s}: each attempt (the first try and every retry) must get its response in
 * this time, while {@code timeout} bounds the whole request. Envoy: the retry policy's {@code
 * per_try_timeout} ({@code translate/Retries}), which Envoy applies even without retries; not
 * simulated; goldens: {@code timeouts/}.
 */
final class BackendTimeouts implements Setting<RouteStmt.BackendTimeout> {
  @Override
  public Class<RouteStmt.BackendTimeout> node() {
    return RouteStmt.BackendTimeout.class;
  }

  @Override
  public Set<Attachment> attachments() {
    return Set.of(Attachment.ROUTE, Attachment.CALL);
  }

  @Override
  public Role role() {
    return Role.FORWARDING;
  }

  @Override
  public void check(RouteStmt.BackendTimeout t, SettingChecks checks) {
    checks.duration(t.duration());
    Optional<RouteStmt.Retry> retry = checks.first(RouteStmt.Retry.class);
    if (retry.isPresent() && retry.get().perTry().isPresent()) {
      checks.error(
          PER_ATTEMPT_TIMEOUT_TWICE,
          t.span(),
          "each attempt's timeout is already set by `per-try` of the retry at "
              + checks.at(retry.get().span())
              + "; keep one of `backend-timeout` and `per-try`");
    }
    Optional<Duration> each = t.duration().value();
    Optional<Duration> whole =
        checks
            .first(RouteStmt.Timeout.class)
            .map(RouteStmt.Timeout::duration)
            .flatMap(DurationLit::value);
    if (each.isPresent() && whole.isPresent() && each.get().compareTo(whole.get()) > 0) {
      checks.warning(
          BACKEND_TIMEOUT_EXCEEDS_TIMEOUT,
          t.span(),
          "an attempt may take "
              + t.duration().text()
              + ", but the whole request is cut off after "
              + checks.first(RouteStmt.Timeout.class).get().duration().text()
              + "; lower `backend-timeout` or raise `timeout`");
    }
  }

  @Override
  public void lower(RouteStmt.BackendTimeout t, RouteParts parts) {
    t.duration().value().ifPresent(parts::backendTimeout);
  }
}
