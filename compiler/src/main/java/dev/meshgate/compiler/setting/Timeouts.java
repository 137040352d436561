package dev.meshgate.compiler.setting;

import dev.meshgate.compiler.ast.RouteStmt;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * {@code timeout 2s}: the whole request, retries included; {@code timeout none}: no limit (Envoy's
 * route timeout 0s, for streams and long polls). Envoy: {@code translate/ForwardActions} (route
 * timeout); not simulated; goldens: {@code retry-timeout/}, {@code timeouts/}.
 */
final class Timeouts implements Setting<RouteStmt.Timeout> {
  /** What Envoy uses when a route sets no timeout. */
  static final Duration ENVOY_DEFAULT = Duration.ofSeconds(15);

  @Override
  public Class<RouteStmt.Timeout> node() {
    return RouteStmt.Timeout.class;
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
  public void check(RouteStmt.Timeout t, SettingChecks checks) {
    if (!t.unlimited()) {
      checks.duration(t.duration());
    }
  }

  @Override
  public void lower(RouteStmt.Timeout t, RouteParts parts) {
    // Zero is how Envoy says "no timeout"; the checker rejects a written zero duration.
    parts.timeout(t.unlimited() ? Optional.of(Duration.ZERO) : t.duration().value());
  }
}
