package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.SidecarIr;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP filter chain, in the one order Envoy runs it, for every listener that has an HTTP
 * connection manager (gateway listeners, a sidecar's inbound and outbound side). Order is
 * semantics, so it lives here, in {@link Slot}, and nowhere else: a listener builder hands {@link
 * #chain} the filters it needs by slot, and a new feature adds its slot at its place in the list
 * (never appends, never builds a chain of its own). The router is always last (Envoy rejects a
 * chain where it is not).
 */
final class HttpFilters {
  static final String ROUTER = "envoy.filters.http.router";

  private HttpFilters() {}

  /** The places in the chain, first to last. Comments say why each sits where it does. */
  enum Slot {
    /**
     * Replaces error responses with the policy's bodies ({@code error-response}, issue 13). First,
     * so that on the way out it comes last and sees every response: the upstream's and the local
     * replies of every filter below (jwt 401, rate limit 429, the router's 404/503/504).
     */
    CUSTOM_RESPONSE("custom_response"),
    /** Answers CORS preflights before anything can reject them for lacking credentials. */
    CORS("cors"),
    /**
     * Turns browsers' gRPC-Web into gRPC ({@code grpc-web}, issue 13) before anything can answer:
     * Envoy's own replies to a gRPC request (a 401, a 429) are gRPC trailers, which this filter
     * then frames as gRPC-Web for the browser.
     */
    GRPC_WEB("grpc_web"),
    /**
     * Authentication: who is calling. OIDC login first: on a route that requires it, the oauth2
     * filter turns the browser's session into {@code Authorization: Bearer <access token>}, which
     * JWT below can then verify (and claim rules read) when the route also requires a JWT.
     */
    OIDC("oauth2"),
    /** JWT: the cheapest, and the most common. */
    JWT("jwt_authn"),
    API_KEY("api_key_auth"),
    BASIC_AUTH("basic_auth"),
    /** External authorization sees the authenticated identity (claims, headers) above. */
    EXT_AUTHZ("ext_authz"),
    /**
     * Mesh authorization ({@code allow}/{@code deny}, claim rules): may they. Today: a sidecar's
     * inbound side, deny then allow ({@link Rbac}).
     */
    RBAC("rbac"),
    /** Rate limits count only authorized requests: local (per proxy) first, then global. */
    LOCAL_RATE_LIMIT("local_ratelimit"),
    RATE_LIMIT("ratelimit"),
    /**
     * Buffers and bounds the request body of routes with {@code max-request-body} (413 above it),
     * once nothing before it has refused the request.
     */
    BUFFER("buffer"),
    /** Fault injection ({@code call … fault}) delays or aborts what would be forwarded. */
    FAULT("fault"),
    /** Compresses responses on their way back out, after everything that may answer early. */
    COMPRESSOR("compressor"),
    /**
     * Transcodes JSON into gRPC ({@code grpc-json}, issue 13) last: every filter above sees the
     * request as the client sent it (its REST path, its JSON), and on the way out the compressor
     * gets the JSON this filter made of the gRPC answer.
     */
    GRPC_JSON("grpc_json_transcoder"),
    /** Sends the request upstream, or answers redirects and direct responses. Always last. */
    ROUTER("router");

    /** The Envoy extension ({@code envoy.extensions.filters.http.<extension>}) of the slot. */
    final String extension;

    Slot(String extension) {
      this.extension = extension;
    }

    boolean holds(HttpFilter filter) {
      return filter
          .getTypedConfig()
          .getTypeUrl()
          .startsWith("type.googleapis.com/envoy.extensions.filters.http." + extension + ".");
    }
  }

  /**
   * The chain for a listener: the given filters in slot order, then the router. A filter whose
   * config is not its slot's extension is a bug (it was put in the wrong slot).
   */
  static List<HttpFilter> chain(Map<Slot, List<HttpFilter>> bySlot) {
    List<HttpFilter> chain = new ArrayList<>();
    for (Slot slot : Slot.values()) {
      if (slot == Slot.ROUTER) {
        if (bySlot.containsKey(slot)) {
          throw new IllegalArgumentException("the router is added by HttpFilters itself");
        }
        continue;
      }
      for (HttpFilter filter : bySlot.getOrDefault(slot, List.of())) {
        if (!slot.holds(filter)) {
          throw new IllegalArgumentException(
              "filter " + filter.getName() + " does not belong in slot " + slot);
        }
        chain.add(filter);
      }
    }
    chain.add(router());
    return List.copyOf(chain);
  }

  /**
   * A gateway listener: CORS when a route has a policy, fault injection when a route asks for it,
   * then the router.
   */
  static List<HttpFilter> gateway(GatewayIr gateway) {
    Map<Slot, List<HttpFilter>> filters = new EnumMap<>(Slot.class);
    filters.put(Slot.CUSTOM_RESPONSE, CustomResponses.filters(gateway)); // issue 13
    if (Cors.used(gateway)) {
      filters.put(Slot.CORS, List.of(Cors.filter()));
    }
    filters.put(Slot.GRPC_WEB, GrpcTranscoding.web(gateway)); // gRPC-Web (issue 13)
    if (Jwt.used(gateway)) { // jwt (issue 12)
      filters.put(Slot.JWT, List.of(Jwt.filter(gateway)));
    }
    filters.put(Slot.EXT_AUTHZ, ExtAuthz.filters(gateway)); // external authorization (issue 12)
    filters.put(Slot.API_KEY, ApiKeys.filters(gateway)); // api keys (issue 12)
    filters.put(Slot.OIDC, Oidc.filters(gateway)); // oidc login (issue 12)
    filters.put(Slot.BASIC_AUTH, BasicAuths.filters(gateway)); // basic auth (issue 12)
    if (JwtRules.used(gateway)) {
      filters.put(Slot.RBAC, JwtRules.filters());
    }
    filters.put(Slot.LOCAL_RATE_LIMIT, RateLimits.filters(gateway.hosts())); // issue 13
    filters.put(Slot.RATE_LIMIT, GlobalRateLimits.filters(gateway)); // global (issue 13)
    filters.put(Slot.BUFFER, RequestLimits.filters(gateway)); // request limits (issue 13)
    filters.put(Slot.FAULT, Faults.filters(gateway.hosts()));
    filters.put(Slot.COMPRESSOR, Compression.filters(gateway)); // compression (issue 13)
    filters.put(Slot.GRPC_JSON, GrpcTranscoding.transcoders(gateway)); // gRPC transcoding
    return chain(filters);
  }

  /** A sidecar's inbound side: authorization (deny, then allow), then the router. */
  static List<HttpFilter> sidecarInbound(SidecarIr sidecar) {
    Map<Slot, List<HttpFilter>> filters = new EnumMap<>(Slot.class);
    filters.put(Slot.RBAC, Rbac.filters(sidecar));
    return chain(filters);
  }

  /**
   * A sidecar's outbound side: fault injection when a call asks for it, then the router (what may
   * be called is in the routes).
   */
  static List<HttpFilter> sidecarOutbound(SidecarIr sidecar) {
    Map<Slot, List<HttpFilter>> filters = new EnumMap<>(Slot.class);
    filters.put(Slot.LOCAL_RATE_LIMIT, RateLimits.filters(sidecar.outboundHosts())); // issue 13
    filters.put(Slot.FAULT, Faults.filters(sidecar.outboundHosts()));
    return chain(filters);
  }

  /** Every HTTP listener ends with the same router: packed once, shared (immutable). */
  private static final HttpFilter ROUTER_FILTER =
      HttpFilter.newBuilder()
          .setName(ROUTER)
          .setTypedConfig(Any.pack(Router.getDefaultInstance()))
          .build();

  private static HttpFilter router() {
    return ROUTER_FILTER;
  }
}
