package dev.meshgate.compiler.simulate;

import com.google.protobuf.Value;
import dev.meshgate.compiler.ir.ApiKeyIr;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.Map;
import java.util.Optional;

/**
 * basic auth (issue 12): Envoy's {@code basic_auth} filters as the simulator sees them. Passwords
 * are never in a policy, so a test says whose (right) password a request carries, {@code with
 * basic-auth user "alice"}: a route that requires a user answers 401 without one, and 401 for a
 * user its {@code users} list leaves out (the route's users replace the provider's, so Envoy knows
 * no other user there); else the backend sees the user's name in {@value ApiKeyIr#CLIENT_HEADER}.
 * Whether the user is in the users file is not known here (the server reads it).
 */
final class BasicAuthn {
  /** One filter per provider: this prefix, then the provider's name. */
  static final String FILTER_PREFIX = "envoy.filters.http.basic_auth.";

  /** The route metadata with the users a route lets in (translate/BasicAuths). */
  private static final String METADATA = "meshgate.basic_auth";

  private BasicAuthn() {}

  static boolean understood(HttpFilter filter) {
    return filter.getName().startsWith(FILTER_PREFIX);
  }

  private static boolean required(Route route) {
    return route.getTypedPerFilterConfigMap().keySet().stream()
        .anyMatch(k -> k.startsWith(FILTER_PREFIX));
  }

  /** 401 when the filter answers the request itself. */
  static Optional<SimulatedOutcome> judge(Route route, TestRequest request) {
    if (!required(route)) {
      return Optional.empty();
    }
    Optional<String> user = request.basicAuthUser();
    if (user.isEmpty()) {
      return Optional.of(
          new SimulatedOutcome.DirectResponse(
              401, "User authentication failed. Missing username and password.", Map.of()));
    }
    var listed = route.getMetadata().getFilterMetadataMap().get(METADATA);
    if (listed != null
        && listed.getFieldsOrThrow("users").getListValue().getValuesList().stream()
            .map(Value::getStringValue)
            .noneMatch(user.get()::equals)) {
      return Optional.of(
          new SimulatedOutcome.DirectResponse(
              401, "User authentication failed. Invalid username/password combination.", Map.of()));
    }
    return Optional.empty();
  }

  /** The header Envoy sets for the backend on a route that requires a user. */
  static Map<String, String> clientHeader(Route route, TestRequest request) {
    if (!required(route) || request.basicAuthUser().isEmpty()) {
      return Map.of();
    }
    return Map.of(ApiKeyIr.CLIENT_HEADER, request.basicAuthUser().get());
  }
}
