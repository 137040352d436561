package dev.meshgate.compiler.simulate;

import com.google.protobuf.Any;
import dev.meshgate.compiler.ir.ApiKeyIr;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.http.api_key_auth.v3.ApiKeyAuthPerRoute;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.Map;
import java.util.Optional;

/**
 * api keys (issue 12): Envoy's {@code api_key_auth} filters as the simulator sees them. Keys are
 * never in a policy, so a test says which client a request's (valid) key belongs to, {@code with
 * api-key client "acme"}: a route that requires a key answers 401 without one and 403 for a client
 * its {@code clients} list leaves out, as Envoy does; else the backend sees the client's name in
 * {@value ApiKeyIr#CLIENT_HEADER}.
 */
final class ApiKeyAuthn {
  /** One filter per provider: this prefix, then the provider's name. */
  static final String FILTER_PREFIX = "envoy.filters.http.api_key_auth.";

  private ApiKeyAuthn() {}

  static boolean understood(HttpFilter filter) {
    return filter.getName().startsWith(FILTER_PREFIX);
  }

  private static Optional<ApiKeyAuthPerRoute> config(Route route) {
    for (Map.Entry<String, Any> e : route.getTypedPerFilterConfigMap().entrySet()) {
      if (e.getKey().startsWith(FILTER_PREFIX)) {
        return Optional.of(GatewayRouting.unpack(e.getValue(), ApiKeyAuthPerRoute.class));
      }
    }
    return Optional.empty();
  }

  /** 401 or 403 when the filter answers the request itself. */
  static Optional<SimulatedOutcome> judge(Route route, TestRequest request) {
    Optional<ApiKeyAuthPerRoute> config = config(route);
    if (config.isEmpty()) {
      return Optional.empty();
    }
    if (request.apiKeyClient().isEmpty()) {
      return Optional.of(
          new SimulatedOutcome.DirectResponse(401, "Client authentication failed.", Map.of()));
    }
    if (!config.get().getAllowedClientsList().isEmpty()
        && !config.get().getAllowedClientsList().contains(request.apiKeyClient().get())) {
      return Optional.of(
          new SimulatedOutcome.DirectResponse(403, "Client is forbidden.", Map.of()));
    }
    return Optional.empty();
  }

  /** The header Envoy sets for the backend on a route that requires a key. */
  static Map<String, String> clientHeader(Route route, TestRequest request) {
    if (config(route).isEmpty() || request.apiKeyClient().isEmpty()) {
      return Map.of();
    }
    return Map.of(ApiKeyIr.CLIENT_HEADER, request.apiKeyClient().get());
  }
}
