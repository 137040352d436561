package dev.meshgate.compiler.setting;

import dev.meshgate.compiler.ast.RouteStmt;
import java.util.Set;

/**
 * {@code port 15432} in a call towards a {@code protocol tcp} service: the local port the caller's
 * app connects to. Whether the callee is tcp and the port is free is whole-call analysis ({@code
 * check/CallChecks}, {@code check/PortChecks}). Envoy: {@code translate/TcpOutboundListeners};
 * goldens: {@code mesh/}.
 */
final class CallPorts implements Setting<RouteStmt.Port> {
  @Override
  public Class<RouteStmt.Port> node() {
    return RouteStmt.Port.class;
  }

  @Override
  public Set<Attachment> attachments() {
    return Set.of(Attachment.CALL);
  }

  @Override
  public Role role() {
    return Role.ONCE;
  }

  @Override
  public boolean httpOnly() {
    return false;
  }

  @Override
  public void check(RouteStmt.Port p, SettingChecks checks) {
    checks.port(p.port());
  }

  @Override
  public void lower(RouteStmt.Port p, RouteParts parts) {
    parts.port((int) p.port().value());
  }
}
