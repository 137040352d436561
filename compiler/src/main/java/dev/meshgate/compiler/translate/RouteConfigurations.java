package dev.meshgate.compiler.translate;

import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.ListenerIr;
import dev.meshgate.compiler.ir.RouteActionIr;
import dev.meshgate.compiler.ir.RouteIr;
import dev.meshgate.compiler.ir.VirtualHostIr;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The gateway's one RouteConfiguration: a virtual host per {@code host}, its routes in policy order
 * (Envoy takes the first route that matches, so route order is meaning).
 *
 * <p>{@code validate_clusters} is left unset on purpose. Served over RDS its default is off: a
 * route whose cluster is momentarily unknown answers 503 instead of making Envoy NACK the whole
 * route table (the compiler puts every referenced cluster in the same snapshot and ADS sends CDS
 * before RDS, so this does not happen in practice). When the same table is inlined into a static
 * bootstrap (the examples' {@code envoy --mode validate}), the default turns on and Envoy checks
 * every cluster reference for us.
 */
final class RouteConfigurations {
  private RouteConfigurations() {}

  static String name(String gateway) {
    return gateway;
  }

  static RouteConfiguration gateway(GatewayIr gateway) {
    // Host "api.shop.example:8080" must find virtual host "api.shop.example": domains in the
    // policy never carry a port, and clients add one whenever it is not the default. Ignoring it
    // here rather than stripping it in the listener keeps it in the Host header for redirects.
    RouteConfiguration.Builder config =
        RouteConfiguration.newBuilder()
            .setName(name(gateway.name()))
            .setIgnorePortInHostMatching(true);
    // Envoy picks a virtual host by domain, never by position: sort by name so that the order
    // files are merged in cannot change the output.
    gateway.hosts().stream()
        .sorted(Comparator.comparing(VirtualHostIr::name))
        .map(host -> virtualHost(host, redirectListener(gateway), Oidc.routes(gateway, host)))
        .forEach(config::addVirtualHosts);
    ApiKeys.apply(gateway, config); // api keys (issue 12)
    GrpcTranscoding.apply(gateway, config); // gRPC transcoding and gRPC-Web (issue 13)
    BasicAuths.apply(gateway, config); // basic auth (issue 12)
    ClientHeader.stripUnauthenticated(gateway, config);
    return config.build();
  }

  static VirtualHost virtualHost(VirtualHostIr host) {
    return virtualHost(host, new UrlRedirects.Place(List.of(), Optional.empty(), "http"));
  }

  static VirtualHost virtualHost(VirtualHostIr host, UrlRedirects.Place listener) {
    return virtualHost(host, listener, List.of());
  }

  /** {@code first}: routes the gateway adds before the host's own (OIDC callback and logout). */
  static VirtualHost virtualHost(
      VirtualHostIr host, UrlRedirects.Place listener, List<Route> first) {
    VirtualHost.Builder virtualHost =
        VirtualHost.newBuilder()
            .setName(host.name())
            .addAllDomains(host.domains())
            .addAllRoutes(first);
    UrlRedirects.Place place =
        new UrlRedirects.Place(host.domains(), listener.listenerPort(), listener.listenerScheme());
    host.routes().forEach(route -> virtualHost.addRoutes(route(route, place)));
    return virtualHost.build();
  }

  /** The gateway's one routing listener (not a redirect-only one), for redirects to a new host. */
  private static UrlRedirects.Place redirectListener(GatewayIr gateway) {
    List<ListenerIr> routing =
        gateway.listeners().stream().filter(l -> l.redirectToHttpsPort().isEmpty()).toList();
    return routing.size() == 1
        ? new UrlRedirects.Place(
            List.of(),
            Optional.of(routing.getFirst().port()),
            routing.getFirst().tls().isPresent() ? "https" : "http")
        : new UrlRedirects.Place(List.of(), Optional.empty(), "http");
  }

  static Route route(RouteIr route) {
    return route(route, new UrlRedirects.Place(List.of(), Optional.empty(), "http"));
  }

  static Route route(RouteIr route, UrlRedirects.Place place) {
    Route.Builder envoy =
        Route.newBuilder().setName(route.name()).setMatch(RouteMatches.match(route.match()));
    switch (route.action()) {
      case RouteActionIr.Forward forward
          when forward.targets().stream().allMatch(t -> t.weight() == 0) ->
          // Envoy rejects a split whose weights sum to 0; every target at 0% means "no traffic".
          envoy.setDirectResponse(
              DirectResponses.action(
                  new RouteActionIr.Respond(503, "no target of this route has traffic (all 0%)")));
      case RouteActionIr.Forward forward -> {
        envoy.setRoute(ForwardActions.action(forward, route.match().path()));
        Faults.perRoute(forward).ifPresent(f -> envoy.putTypedPerFilterConfig(Faults.FILTER, f));
      }
      case RouteActionIr.Redirect redirect -> envoy.setRedirect(Redirects.action(redirect));
      case RouteActionIr.RedirectTo redirect ->
          envoy.setRedirect(UrlRedirects.action(redirect, route.match().path(), place));
      case RouteActionIr.Respond respond ->
          envoy.setDirectResponse(DirectResponses.action(respond));
    }
    HeaderMutations.apply(route.headerMutations(), envoy);
    route.cors().ifPresent(cors -> Cors.apply(cors, envoy));
    Jwt.apply(route, envoy); // jwt (issue 12)
    Oidc.apply(route, envoy); // oidc login (issue 12)
    JwtRules.apply(route, envoy);
    ExtAuthz.apply(route, envoy); // external authorization (issue 12)
    route
        .rateLimit()
        .ifPresent(limit -> {
          if (limit.global()) {
            GlobalRateLimits.apply(limit, envoy); // global rate limits (issue 13)
          } else {
            RateLimits.apply(limit, envoy); // local rate limits (issue 13)
          }
        });
    Compression.apply(route, envoy); // compression (issue 13)
    RequestLimits.apply(route, envoy); // request limits (issue 13)
    Tracing.route(route, envoy); // tracing (issue 15)
    CustomResponses.apply(route, envoy); // custom responses (issue 13)
    return envoy.build();
  }
}
