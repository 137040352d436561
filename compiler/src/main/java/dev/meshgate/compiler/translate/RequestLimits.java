package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import dev.meshgate.compiler.ir.ConnectionLimitsIr;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.RouteIr;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.http.buffer.v3.Buffer;
import io.envoyproxy.envoy.extensions.filters.http.buffer.v3.BufferPerRoute;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.List;

/**
 * request limits (issue 13). {@code max-request-body} (setting unit: {@code
 * setting/RequestBodyLimits}): Envoy's buffer filter (slot {@link HttpFilters.Slot#BUFFER}) sits in
 * the chain disabled; a route with a limit turns it on with its {@code max_request_bytes}. The
 * filter buffers the whole request body before the request goes upstream (so the backend gets a
 * complete body, with a content-length) and answers 413 as soon as the body grows past the limit.
 * Routes without a limit stream their bodies as before.
 *
 * <p>The gateway's {@code max-request-headers}, {@code idle-timeout} and {@code
 * stream-idle-timeout} are fields of every connection manager of its listeners: {@code
 * max_request_headers_kb} (Envoy answers 431 above it), {@code
 * common_http_protocol_options.idle_timeout} (a connection with no request in flight is closed) and
 * {@code stream_idle_timeout} (a request with no activity for that long is reset, 408 if nothing
 * was sent yet).
 */
final class RequestLimits {
  static final String FILTER = "envoy.filters.http.buffer";

  private RequestLimits() {}

  /** The buffer filter, disabled, when a route of the gateway limits its request body. */
  static List<HttpFilter> filters(GatewayIr gateway) {
    boolean any =
        gateway.hosts().stream()
            .flatMap(h -> h.routes().stream())
            .anyMatch(r -> r.maxRequestBytes().isPresent());
    return any
        ? List.of(
            HttpFilter.newBuilder()
                .setName(FILTER)
                // The chain's config is never used (the filter runs only where a route turns it
                // on with its own limit), but Envoy requires one.
                .setTypedConfig(Any.pack(buffer(1)))
                .setDisabled(true)
                .build())
        : List.of();
  }

  static void apply(RouteIr route, Route.Builder envoy) {
    route
        .maxRequestBytes()
        .ifPresent(
            bytes ->
                envoy.putTypedPerFilterConfig(
                    FILTER,
                    Any.pack(BufferPerRoute.newBuilder().setBuffer(buffer(bytes)).build())));
  }

  private static Buffer buffer(long bytes) {
    return Buffer.newBuilder().setMaxRequestBytes(UInt32Value.of((int) bytes)).build();
  }

  /** The gateway's connection limits on one of its connection managers. */
  static HttpConnectionManager.Builder connection(
      ConnectionLimitsIr limits, HttpConnectionManager.Builder hcm) {
    limits.maxRequestHeadersKb().ifPresent(kb -> hcm.setMaxRequestHeadersKb(UInt32Value.of(kb)));
    limits
        .idleTimeout()
        .ifPresent(
            d ->
                hcm.setCommonHttpProtocolOptions(
                    HttpProtocolOptions.newBuilder().setIdleTimeout(ProtoDurations.of(d))));
    limits.streamIdleTimeout().ifPresent(d -> hcm.setStreamIdleTimeout(ProtoDurations.of(d)));
    return hcm;
  }
}
