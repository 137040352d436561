package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import dev.meshgate.compiler.GatewaySecret;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.OidcIr;
import dev.meshgate.compiler.ir.RouteIr;
import dev.meshgate.compiler.ir.VirtualHostIr;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HttpUri;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.extensions.filters.http.oauth2.v3.OAuth2;
import io.envoyproxy.envoy.extensions.filters.http.oauth2.v3.OAuth2Config;
import io.envoyproxy.envoy.extensions.filters.http.oauth2.v3.OAuth2Credentials;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SdsSecretConfig;
import io.envoyproxy.envoy.type.matcher.v3.PathMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * oidc login (issue 12): Envoy's {@code envoy.filters.http.oauth2} (slot {@link
 * HttpFilters.Slot#OIDC}), one filter per provider that a route requires. Each filter is off in the
 * listener ({@code disabled}) and switched on per route with an empty {@code FilterConfig}, the
 * generic per-route switch of Envoy (the oauth2 filter has no per-route config of its own): a route
 * that requires no login never sees it, and a requirement change is an RDS update. The provider's
 * callback and logout paths get routes of their own, first in every host that uses the provider, so
 * the filter is on where the browser comes back and where it logs out (the filter answers them; the
 * routes' own 404 is never sent). The client secret and the cookie key reach Envoy only over SDS
 * ({@link #secrets}); the token endpoint is reached through a cluster {@code oidc:<provider>} made
 * like the JWKS clusters.
 */
final class Oidc {
  static final String FILTER_PREFIX = "meshgate.oidc.";

  /**
   * The callback Envoy gives the provider: the scheme and host the browser used. Envoy's connection
   * manager sets {@code x-forwarded-proto} to the listener's scheme.
   */
  private static final String REDIRECT_BASE = "%REQ(x-forwarded-proto)%://%REQ(:authority)%";

  private static final com.google.protobuf.Duration TOKEN_TIMEOUT =
      com.google.protobuf.Duration.newBuilder().setSeconds(5).build();

  private Oidc() {}

  static String filterName(String provider) {
    return FILTER_PREFIX + provider;
  }

  /** The providers some route of the gateway requires, sorted by name. */
  static List<OidcIr> used(GatewayIr gateway) {
    Set<String> names = new TreeSet<>();
    gateway.hosts().forEach(h -> names.addAll(providers(h)));
    return gateway.oidcProviders().stream().filter(p -> names.contains(p.name())).toList();
  }

  private static Set<String> providers(VirtualHostIr host) {
    Set<String> names = new TreeSet<>();
    host.routes().forEach(r -> r.oidc().ifPresent(names::add));
    return names;
  }

  static List<HttpFilter> filters(GatewayIr gateway) {
    return used(gateway).stream().map(Oidc::filter).toList();
  }

  private static HttpFilter filter(OidcIr provider) {
    OAuth2Config config =
        OAuth2Config.newBuilder()
            .setTokenEndpoint(
                HttpUri.newBuilder()
                    .setUri(provider.tokenEndpoint())
                    .setCluster(provider.token().cluster())
                    .setTimeout(TOKEN_TIMEOUT))
            .setAuthorizationEndpoint(provider.authorizationEndpoint())
            .setCredentials(
                OAuth2Credentials.newBuilder()
                    .setClientId(provider.clientId())
                    .setTokenSecret(sds(provider.clientSecretName()))
                    .setHmacSecret(sds(provider.cookieSecretName())))
            .setRedirectUri(REDIRECT_BASE + provider.redirectPath())
            .setRedirectPathMatcher(exact(provider.redirectPath()))
            .setSignoutPath(exact(provider.logoutPath()))
            // The backend gets `Authorization: Bearer <access token>`.
            .setForwardBearerToken(true)
            .addAllAuthScopes(provider.scopes())
            .setStatPrefix("oidc_" + provider.name())
            .build();
    return HttpFilter.newBuilder()
        .setName(filterName(provider.name()))
        .setTypedConfig(Any.pack(OAuth2.newBuilder().setConfig(config).build()))
        // Off unless a route switches it on (see apply).
        .setDisabled(true)
        .build();
  }

  private static SdsSecretConfig sds(String name) {
    return SdsSecretConfig.newBuilder().setName(name).setSdsConfig(ConfigSources.ads()).build();
  }

  private static PathMatcher exact(String path) {
    return PathMatcher.newBuilder().setPath(StringMatcher.newBuilder().setExact(path)).build();
  }

  /** Switches the route's provider's filter on. */
  static void apply(RouteIr route, Route.Builder envoy) {
    route.oidc().ifPresent(provider -> envoy.putTypedPerFilterConfig(filterName(provider), on()));
  }

  private static Any on() {
    // An empty `config` (not an absent one) is Envoy's "enabled here".
    return Any.pack(FilterConfig.newBuilder().setConfig(Any.getDefaultInstance()).build());
  }

  /** The callback and logout routes of the providers the host's routes require. */
  static List<Route> routes(GatewayIr gateway, VirtualHostIr host) {
    Set<String> names = providers(host);
    List<Route> routes = new ArrayList<>();
    for (OidcIr provider : gateway.oidcProviders()) {
      if (!names.contains(provider.name())) {
        continue;
      }
      routes.add(route(provider, "callback", provider.redirectPath()));
      routes.add(route(provider, "logout", provider.logoutPath()));
    }
    return routes;
  }

  private static Route route(OidcIr provider, String what, String path) {
    return Route.newBuilder()
        .setName("oidc:" + provider.name() + "/" + what)
        .setMatch(RouteMatch.newBuilder().setPath(path))
        .setDirectResponse(DirectResponseAction.newBuilder().setStatus(404))
        .putTypedPerFilterConfig(filterName(provider.name()), on())
        .build();
  }

  /** The clusters the token endpoints are reached through. */
  static List<Cluster> clusters(GatewayIr gateway) {
    return used(gateway).stream()
        .map(p ->
            Jwt.fetchCluster(
                p.token().cluster(), p.token().host(), p.token().port(), p.token().tls()))
        .toList();
  }

  /** The SDS secrets of the providers in use, with where the server reads them. */
  static List<GatewaySecret> secrets(GatewayIr gateway) {
    List<GatewaySecret> secrets = new ArrayList<>();
    for (OidcIr provider : used(gateway)) {
      GatewaySecret.Source client = source(provider.clientSecret(), Optional.empty());
      secrets.add(new GatewaySecret.OpaqueSecret(provider.clientSecretName(), client));
      secrets.add(
          new GatewaySecret.OpaqueSecret(
              provider.cookieSecretName(), source(provider.cookieSecret(), Optional.of(client))));
    }
    return secrets;
  }

  private static GatewaySecret.Source source(
      OidcIr.SecretIr secret, Optional<GatewaySecret.Source> derivedFrom) {
    return switch (secret.kind()) {
      case FILE -> new GatewaySecret.Source.File(secret.value());
      case ENV -> new GatewaySecret.Source.Env(secret.value());
      case DERIVED -> new GatewaySecret.Source.Derived(derivedFrom.orElseThrow(), secret.value());
    };
  }
}
