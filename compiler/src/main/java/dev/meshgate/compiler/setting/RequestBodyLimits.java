package dev.meshgate.compiler.setting;

import dev.meshgate.compiler.ast.RouteStmt;
import java.util.Set;

/**
 * request limits (issue 13): {@code max-request-body 1mb} on a gateway, host or route; {@code
 * max-request-body none} lifts an inherited limit (the route streams its body again). Envoy: {@code
 * translate/RequestLimits} (the buffer filter, slot {@code HttpFilters.Slot.BUFFER}, off by default
 * and turned on per route with its {@code max_request_bytes}: Envoy buffers the whole body before
 * forwarding it, and answers 413 when it grows past the limit); not simulated (a test request has
 * no body); goldens: {@code request-limits/}.
 */
final class RequestBodyLimits implements Setting<RouteStmt.MaxRequestBody> {
  /** Buffering more than this in the proxy's memory per request is surely a mistake. */
  static final long MAX_BYTES = 1L << 30;

  @Override
  public Class<RouteStmt.MaxRequestBody> node() {
    return RouteStmt.MaxRequestBody.class;
  }

  @Override
  public Set<Attachment> attachments() {
    return Set.of(Attachment.GATEWAY, Attachment.HOST, Attachment.ROUTE);
  }

  @Override
  public Role role() {
    return Role.ONCE;
  }

  @Override
  public void check(RouteStmt.MaxRequestBody m, SettingChecks checks) {
    m.size()
        .ifPresent(
            size ->
                Sizes.check(
                    size,
                    "max-request-body",
                    1,
                    MAX_BYTES,
                    (code, at, message) -> checks.error(code, at.span(), message)));
  }

  @Override
  public void lower(RouteStmt.MaxRequestBody m, RouteParts parts) {
    parts.maxRequestBytes(m.size().flatMap(s -> s.bytes()));
  }
}
