package dev.meshgate.compiler.setting;

import dev.meshgate.compiler.ast.RouteStmt;
import java.time.Duration;
import java.util.Set;

/**
 * {@code timeout 2s}: the whole request, retries included. Envoy: {@code translate/ForwardActions}
 * (route timeout); not simulated; goldens: {@code retry-timeout/}.
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
    checks.duration(t.duration());
  }

  @Override
  public void lower(RouteStmt.Timeout t, RouteParts parts) {
    parts.timeout(t.duration().value());
  }
}
