package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.List;

/**
 * The HTTP filter chain of every gateway listener, in the one order Envoy runs it. Order is
 * semantics (authentication before authorization before rate limiting; the router must be last, or
 * Envoy rejects the listener), so it lives here, in one explicit list, and features add their
 * filter at their place in it rather than appending.
 */
final class HttpFilters {
  static final String ROUTER = "envoy.filters.http.router";

  private HttpFilters() {}

  static List<HttpFilter> gateway() {
    return List.of(
        // 1. (future) envoy.filters.http.cors       — answer preflights before anything else
        // 2. (future) envoy.filters.http.jwt_authn  — who is calling
        // 3. (future) envoy.filters.http.rbac       — may they
        // 4. (future) envoy.filters.http.local_ratelimit / ratelimit
        // 5. (future) envoy.filters.http.fault      — only for `call … fault`
        // last: the router sends the request upstream (or answers redirect/direct responses).
        router());
  }

  /** A sidecar's inbound side: authorization (deny, then allow), then the router. */
  static List<HttpFilter> sidecarInbound(dev.meshgate.compiler.ir.SidecarIr sidecar) {
    List<HttpFilter> filters = new java.util.ArrayList<>(Rbac.filters(sidecar));
    filters.add(router());
    return List.copyOf(filters);
  }

  /** A sidecar's outbound side: only the router (what may be called is in the routes). */
  static List<HttpFilter> sidecarOutbound() {
    return List.of(router());
  }

  private static HttpFilter router() {
    return HttpFilter.newBuilder()
        .setName(ROUTER)
        .setTypedConfig(Any.pack(Router.getDefaultInstance()))
        .build();
  }
}
