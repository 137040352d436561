package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import dev.meshgate.compiler.ir.CorsIr;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.RouteIr;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

/**
 * CORS (issue 12): Envoy's CORS filter (slot {@link HttpFilters.Slot#CORS}) answers preflights and
 * adds the access-control headers to responses, with the policy of the route a request matched
 * (per-route config). A route without a policy gets no CORS headers: the browser refuses it.
 */
final class Cors {
  static final String FILTER = "envoy.filters.http.cors";

  private Cors() {}

  static boolean used(GatewayIr gateway) {
    return gateway.hosts().stream()
        .flatMap(h -> h.routes().stream())
        .map(RouteIr::cors)
        .anyMatch(java.util.Optional::isPresent);
  }

  static HttpFilter filter() {
    return HttpFilter.newBuilder()
        .setName(FILTER)
        .setTypedConfig(
            Any.pack(io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors.getDefaultInstance()))
        .build();
  }

  static void apply(CorsIr cors, Route.Builder route) {
    CorsPolicy.Builder policy = CorsPolicy.newBuilder();
    for (CorsIr.Origin origin : cors.origins()) {
      policy.addAllowOriginStringMatch(
          origin.regex()
              ? StringMatcher.newBuilder().setSafeRegex(Regexes.matcher(origin.value()))
              : StringMatcher.newBuilder().setExact(origin.value()));
    }
    if (!cors.methods().isEmpty()) {
      policy.setAllowMethods(String.join(",", cors.methods()));
    }
    if (!cors.headers().isEmpty()) {
      policy.setAllowHeaders(String.join(",", cors.headers()));
    }
    if (!cors.exposeHeaders().isEmpty()) {
      policy.setExposeHeaders(String.join(",", cors.exposeHeaders()));
    }
    if (cors.credentials()) {
      policy.setAllowCredentials(BoolValue.of(true));
    }
    cors.maxAge().ifPresent(d -> policy.setMaxAge(Long.toString(d.toSeconds())));
    route.putTypedPerFilterConfig(FILTER, Any.pack(policy.build()));
  }
}
