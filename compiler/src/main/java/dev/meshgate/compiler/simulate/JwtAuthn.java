package dev.meshgate.compiler.simulate;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtClaimToHeader;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.JwtRequirement;
import io.envoyproxy.envoy.extensions.filters.http.jwt_authn.v3.PerRouteConfig;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBACPerRoute;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.matcher.v3.MetadataMatcher;
import io.envoyproxy.envoy.type.matcher.v3.ValueMatcher;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * jwt (issue 12): what the gateway's {@code jwt_authn} filter and claim-rule RBAC filters do to a
 * request, read from the compiled resources. Signatures are not simulated: {@code with jwt} is a
 * token the route's provider accepts, with the claims written in {@code with jwt claims {…}}.
 * Without a token a route that requires one answers 401; claim rules answer 403 (a matching {@code
 * deny}, or {@code allow} rules none of which matches).
 */
final class JwtAuthn {
  static final String FILTER = "envoy.filters.http.jwt_authn";
  static final String PAYLOAD = "jwt_payload";
  static final List<String> RBAC_FILTERS = List.of("meshgate.jwt.deny", "meshgate.jwt.allow");

  private final Optional<JwtAuthentication> config;

  private JwtAuthn(Optional<JwtAuthentication> config) {
    this.config = config;
  }

  static JwtAuthn of(HttpConnectionManager manager) {
    for (HttpFilter filter : manager.getHttpFiltersList()) {
      if (filter.getName().equals(FILTER)) {
        return new JwtAuthn(
            Optional.of(GatewayRouting.unpack(filter.getTypedConfig(), JwtAuthentication.class)));
      }
    }
    return new JwtAuthn(Optional.empty());
  }

  /** Whether the simulator understands this filter (so it needs no "filters ignored" note). */
  static boolean understood(HttpFilter filter) {
    return filter.getName().equals(FILTER) || RBAC_FILTERS.contains(filter.getName());
  }

  /** The provider the route requires, if any, and whether a missing token is let through. */
  private record Requirement(String provider, boolean allowMissing) {}

  private Optional<Requirement> requirement(Route route) {
    Any any = route.getTypedPerFilterConfigMap().get(FILTER);
    if (any == null || config.isEmpty()) {
      return Optional.empty();
    }
    PerRouteConfig perRoute = GatewayRouting.unpack(any, PerRouteConfig.class);
    if (perRoute.getDisabled() || perRoute.getRequirementName().isEmpty()) {
      return Optional.empty();
    }
    JwtRequirement req = config.get().getRequirementMapMap().get(perRoute.getRequirementName());
    if (req == null) {
      return Optional.empty();
    }
    if (req.hasRequiresAny()) {
      String provider = "";
      boolean allowMissing = false;
      for (JwtRequirement r : req.getRequiresAny().getRequirementsList()) {
        if (!r.getProviderName().isEmpty()) {
          provider = r.getProviderName();
        }
        allowMissing |= r.hasAllowMissing() || r.hasAllowMissingOrFailed();
      }
      return Optional.of(new Requirement(provider, allowMissing));
    }
    return Optional.of(new Requirement(req.getProviderName(), false));
  }

  /** 401 or 403 when the filters answer the request themselves. */
  Optional<SimulatedOutcome> judge(Route route, TestRequest request) {
    Optional<Requirement> requirement = requirement(route);
    if (requirement.isPresent() && !request.jwt() && !requirement.get().allowMissing()) {
      return Optional.of(new SimulatedOutcome.DirectResponse(401, "Jwt is missing", Map.of()));
    }
    if (requirement.isPresent() && request.jwt()) {
      Optional<SimulatedOutcome> refused = verify(requirement.get().provider(), request);
      if (refused.isPresent()) {
        return refused;
      }
    }
    Optional<Map<String, Object>> payload =
        requirement.isPresent() && request.jwt()
            ? Optional.of(payload(request.jwtClaims()))
            : Optional.empty();
    Any deny = route.getTypedPerFilterConfigMap().get(RBAC_FILTERS.get(0));
    if (deny != null && matchesAny(deny, payload)) {
      return Optional.of(forbidden());
    }
    Any allow = route.getTypedPerFilterConfigMap().get(RBAC_FILTERS.get(1));
    if (allow != null && !matchesAny(allow, payload)) {
      return Optional.of(forbidden());
    }
    return Optional.empty();
  }

  /**
   * What Envoy says of a well-signed token whose {@code iss} or {@code aud} (when the test writes
   * them in {@code with jwt claims}) the provider does not accept: another issuer is 401, another
   * audience 403 (Envoy's jwt_authn answers a verified token for the wrong audience as forbidden).
   */
  private Optional<SimulatedOutcome> verify(String providerName, TestRequest request) {
    var provider = config.map(c -> c.getProvidersMap().get(providerName));
    if (provider.isEmpty()) {
      return Optional.empty();
    }
    String iss = request.jwtClaims().get("iss");
    if (iss != null && !iss.equals(provider.get().getIssuer())) {
      return Optional.of(
          new SimulatedOutcome.DirectResponse(401, "Jwt issuer is not configured", Map.of()));
    }
    String aud = request.jwtClaims().get("aud");
    List<String> audiences = provider.get().getAudiencesList();
    if (aud != null && !audiences.isEmpty() && !audiences.contains(aud)) {
      return Optional.of(
          new SimulatedOutcome.DirectResponse(403, "Audiences in Jwt are not allowed", Map.of()));
    }
    return Optional.empty();
  }

  /** The headers {@code claim … to-header …} adds for a request with a token. */
  Map<String, String> claimHeaders(Route route, TestRequest request) {
    Map<String, String> headers = new LinkedHashMap<>();
    Optional<Requirement> requirement = requirement(route);
    if (requirement.isEmpty() || !request.jwt() || config.isEmpty()) {
      return headers;
    }
    var provider = config.get().getProvidersMap().get(requirement.get().provider());
    if (provider == null) {
      return headers;
    }
    for (JwtClaimToHeader c : provider.getClaimToHeadersList()) {
      String value = request.jwtClaims().get(c.getClaimName());
      if (value != null) {
        headers.put(c.getHeaderName(), value);
      }
    }
    return headers;
  }

  private static SimulatedOutcome forbidden() {
    return new SimulatedOutcome.DirectResponse(403, "RBAC: access denied", Map.of());
  }

  /** The payload Envoy writes to metadata: {@code scope} split at spaces into a list. */
  private static Map<String, Object> payload(Map<String, String> claims) {
    Map<String, Object> payload = new LinkedHashMap<>(claims);
    String scope = claims.get("scope");
    if (scope != null) {
      payload.put("scope", Arrays.stream(scope.split(" ")).filter(s -> !s.isEmpty()).toList());
    }
    return payload;
  }

  private static boolean matchesAny(Any perRoute, Optional<Map<String, Object>> payload) {
    RBACPerRoute config = GatewayRouting.unpack(perRoute, RBACPerRoute.class);
    if (!config.hasRbac() || !config.getRbac().hasRules()) {
      return false;
    }
    for (Policy policy : config.getRbac().getRules().getPoliciesMap().values()) {
      if (policy.getPrincipalsList().stream().anyMatch(p -> principal(p, payload))) {
        return true;
      }
    }
    return false;
  }

  private static boolean principal(Principal p, Optional<Map<String, Object>> payload) {
    return switch (p.getIdentifierCase()) {
      case ANY -> true;
      case AND_IDS -> p.getAndIds().getIdsList().stream().allMatch(x -> principal(x, payload));
      case OR_IDS -> p.getOrIds().getIdsList().stream().anyMatch(x -> principal(x, payload));
      case NOT_ID -> !principal(p.getNotId(), payload);
      case METADATA -> payload.map(m -> metadata(p.getMetadata(), m)).orElse(false);
      default -> false;
    };
  }

  private static boolean metadata(MetadataMatcher matcher, Map<String, Object> payload) {
    if (!matcher.getFilter().equals(FILTER)
        || matcher.getPathCount() != 2
        || !matcher.getPath(0).getKey().equals(PAYLOAD)) {
      return false;
    }
    Object value = payload.get(matcher.getPath(1).getKey());
    boolean result = value != null && value(matcher.getValue(), value);
    return matcher.getInvert() != result;
  }

  private static boolean value(ValueMatcher matcher, Object value) {
    return switch (matcher.getMatchPatternCase()) {
      case STRING_MATCH ->
          value instanceof String s && matcher.getStringMatch().getExact().equals(s);
      case LIST_MATCH ->
          value instanceof List<?> list
              && list.stream().anyMatch(v -> value(matcher.getListMatch().getOneOf(), v));
      default -> false;
    };
  }
}
