package dev.meshgate.compiler.simulate;

import com.google.protobuf.Any;
import dev.meshgate.compiler.ProxyResources;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC.Action;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBACPerRoute;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Envoy's RBAC on a sidecar's inbound listener, for a call from a peer with (or without) a SPIFFE
 * identity: the filter chain the connection lands on (mTLS or plaintext), then every RBAC filter in
 * order. A DENY filter answers 403 when one of its policies matches; an ALLOW filter when none
 * does; shadow rules only record what they would have done.
 */
final class Authorization {
  private Authorization() {}

  static Simulation simulate(
      ProxyResources callee,
      TestRequest.Call request,
      Optional<String> callerIdentity,
      Origins origins) {
    List<String> notes = new ArrayList<>();
    String service = request.callee();
    Optional<Listener> inbound =
        callee.listeners().stream()
            .filter(l -> l.getName().equals(service + ":inbound"))
            .findFirst();
    if (inbound.isEmpty()) {
      return new Simulation(
          new SimulatedOutcome.Refused("service " + service + " has no inbound listener"),
          Optional.empty(),
          notes);
    }
    Listener listener = inbound.get();
    // A caller with a certificate speaks TLS: the chain with a transport socket. Without one,
    // only a plaintext (default) chain takes it; under mtls strict there is none.
    Optional<FilterChain> chain;
    if (callerIdentity.isPresent()) {
      chain =
          listener.getFilterChainsList().stream()
              .filter(FilterChain::hasTransportSocket)
              .findFirst();
    } else {
      chain =
          listener.hasDefaultFilterChain()
              ? Optional.of(listener.getDefaultFilterChain())
              : listener.getFilterChainsList().stream()
                  .filter(c -> !c.hasTransportSocket())
                  .findFirst();
    }
    if (chain.isEmpty()) {
      return new Simulation(
          new SimulatedOutcome.Refused(
              request.caller()
                  + " has no mesh certificate (no sidecar) and "
                  + service
                  + " accepts only mTLS"),
          Optional.of(
              new Decider(
                  "mtls strict on " + service + "'s inbound listener (the connection is refused)",
                  Optional.empty())),
          notes);
    }
    Optional<HttpConnectionManager> hcm = GatewayRouting.connectionManager(chain.get());
    if (hcm.isEmpty()) {
      if (chain.get().getFiltersList().stream()
          .anyMatch(
              f ->
                  f.hasTypedConfig()
                      && f.getTypedConfig().getTypeUrl().endsWith("tcp_proxy.v3.TcpProxy"))) {
        return connection(
            chain.get(),
            service,
            new Peer(callerIdentity, chain.get().hasTransportSocket()),
            origins,
            notes);
      }
      return new Simulation(
          new SimulatedOutcome.Refused(service + "'s inbound listener does not speak HTTP"),
          Optional.empty(),
          notes);
    }
    String path =
        Paths.normalize(
            request.path(), hcm.get().getNormalizePath().getValue(), hcm.get().getMergeSlashes());
    Map<String, String> headers = new LinkedHashMap<>(request.headerMap());
    headers.put(":method", request.method());
    headers.put(":path", path + TestRequest.queryString(request.query()));
    headers.put(":authority", service);
    Peer peer = new Peer(callerIdentity, chain.get().hasTransportSocket());

    // Filters read their per-route overrides from the route the request matches: route, then
    // virtual host, then route table (the most specific one wins).
    List<Map<String, Any>> overrides = new ArrayList<>();
    GatewayRouting.routeTable(hcm.get(), callee)
        .ifPresent(
            table -> {
              List<List<String>> domains =
                  table.getVirtualHostsList().stream()
                      .map(VirtualHost::getDomainsList)
                      .map(List::copyOf)
                      .toList();
              VirtualHosts.select(domains, service, hcm.get().getStripAnyHostPort())
                  .map(table::getVirtualHosts)
                  .ifPresent(
                      host -> {
                        host.getRoutesList().stream()
                            .filter(
                                r ->
                                    GatewayRouting.matches(
                                        r.getMatch(), path, headers, request.query()))
                            .findFirst()
                            .ifPresent(r -> overrides.add(r.getTypedPerFilterConfigMap()));
                        overrides.add(host.getTypedPerFilterConfigMap());
                      });
              overrides.add(table.getTypedPerFilterConfigMap());
            });

    Optional<Decider> allowedBy = Optional.empty();
    for (HttpFilter filter : hcm.get().getHttpFiltersList()) {
      if (!filter.hasTypedConfig() || !filter.getTypedConfig().is(RBAC.class)) {
        continue;
      }
      RBAC rbac = GatewayRouting.unpack(filter.getTypedConfig(), RBAC.class);
      Optional<Any> override =
          overrides.stream()
              .map(m -> m.get(filter.getName()))
              .filter(java.util.Objects::nonNull)
              .findFirst();
      if (override.isPresent() && override.get().is(RBACPerRoute.class)) {
        RBACPerRoute perRoute = GatewayRouting.unpack(override.get(), RBACPerRoute.class);
        if (!perRoute.hasRbac()) {
          continue; // an empty per-route config turns the filter off for this route
        }
        rbac = perRoute.getRbac();
      }
      if (rbac.hasShadowRules()) {
        Optional<String> matched = firstMatch(rbac.getShadowRules(), path, headers, peer);
        boolean wouldDeny =
            rbac.getShadowRules().getAction() == Action.DENY
                ? matched.isPresent()
                : matched.isEmpty();
        if (wouldDeny) {
          String rule = matched.orElse("(no shadow allow rule)");
          notes.add(
              "dry-run rule \""
                  + rule
                  + "\""
                  + origins.rule(service, rule).map(o -> " at " + o).orElse("")
                  + " would have denied this call (counted, not enforced)");
        }
      }
      if (!rbac.hasRules()) {
        continue;
      }
      Optional<String> matched = firstMatch(rbac.getRules(), path, headers, peer);
      switch (rbac.getRules().getAction()) {
        case DENY -> {
          if (matched.isPresent()) {
            return new Simulation(
                new SimulatedOutcome.Denied(),
                Optional.of(
                    new Decider(
                        "deny rule \"" + matched.get() + "\"",
                        origins.rule(service, matched.get()))),
                notes);
          }
        }
        case ALLOW -> {
          if (matched.isEmpty()) {
            return new Simulation(
                new SimulatedOutcome.Denied(),
                Optional.of(
                    new Decider(
                        "no allow rule of " + service + " matches (authz default deny)",
                        Optional.empty())),
                notes);
          }
          allowedBy =
              Optional.of(
                  new Decider(
                      "allow rule \"" + matched.get() + "\"",
                      origins.rule(service, matched.get())));
        }
        default ->
            notes.add(
                "RBAC filter " + filter.getName() + " has an action the simulator does not judge");
      }
    }
    return new Simulation(
        new SimulatedOutcome.Allowed(),
        Optional.of(
            allowedBy.orElse(
                new Decider("no deny rule matches (authz default allow)", Optional.empty()))),
        notes);
  }

  /**
   * A connection to a {@code tcp} service: the chain's network RBAC filters in order (they see only
   * the peer; no path, no headers), then the tcp_proxy relays it to the app.
   */
  private static Simulation connection(
      FilterChain chain, String service, Peer peer, Origins origins, List<String> notes) {
    Optional<Decider> allowedBy = Optional.empty();
    for (io.envoyproxy.envoy.config.listener.v3.Filter filter : chain.getFiltersList()) {
      if (!filter.hasTypedConfig()
          || !filter
              .getTypedConfig()
              .is(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.class)) {
        continue;
      }
      var rbac =
          GatewayRouting.unpack(
              filter.getTypedConfig(),
              io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.class);
      Map<String, String> none = Map.of();
      if (rbac.hasShadowRules()) {
        Optional<String> matched = firstMatch(rbac.getShadowRules(), "", none, peer);
        boolean wouldDeny =
            rbac.getShadowRules().getAction() == Action.DENY
                ? matched.isPresent()
                : matched.isEmpty();
        if (wouldDeny) {
          String rule = matched.orElse("(no shadow allow rule)");
          notes.add(
              "dry-run rule \""
                  + rule
                  + "\""
                  + origins.rule(service, rule).map(o -> " at " + o).orElse("")
                  + " would have denied this connection (counted, not enforced)");
        }
      }
      if (!rbac.hasRules()) {
        continue;
      }
      Optional<String> matched = firstMatch(rbac.getRules(), "", none, peer);
      switch (rbac.getRules().getAction()) {
        case DENY -> {
          if (matched.isPresent()) {
            return new Simulation(
                new SimulatedOutcome.Denied(),
                Optional.of(
                    new Decider(
                        "deny rule \"" + matched.get() + "\"",
                        origins.rule(service, matched.get()))),
                notes);
          }
        }
        case ALLOW -> {
          if (matched.isEmpty()) {
            return new Simulation(
                new SimulatedOutcome.Denied(),
                Optional.of(
                    new Decider(
                        "no allow rule of " + service + " matches (authz default deny)",
                        Optional.empty())),
                notes);
          }
          allowedBy =
              Optional.of(
                  new Decider(
                      "allow rule \"" + matched.get() + "\"",
                      origins.rule(service, matched.get())));
        }
        default ->
            notes.add(
                "network RBAC filter "
                    + filter.getName()
                    + " has an action the simulator does not judge");
      }
    }
    return new Simulation(
        new SimulatedOutcome.Allowed(),
        Optional.of(
            allowedBy.orElse(
                new Decider("no deny rule matches (authz default allow)", Optional.empty()))),
        notes);
  }

  /**
   * The peer as the callee's sidecar sees it: its SPIFFE ID, if any, and whether it came over TLS.
   */
  record Peer(Optional<String> identity, boolean tls) {}

  /** The first policy (by name, as Envoy reports one) that matches, if any. */
  static Optional<String> firstMatch(
      io.envoyproxy.envoy.config.rbac.v3.RBAC rules,
      String path,
      Map<String, String> headers,
      Peer peer) {
    for (Map.Entry<String, Policy> policy : new TreeMap<>(rules.getPoliciesMap()).entrySet()) {
      if (matches(policy.getValue(), path, headers, peer)) {
        return Optional.of(policy.getKey());
      }
    }
    return Optional.empty();
  }

  static boolean matches(Policy policy, String path, Map<String, String> headers, Peer peer) {
    return policy.getPermissionsList().stream().anyMatch(p -> permission(p, path, headers))
        && policy.getPrincipalsList().stream().anyMatch(p -> principal(p, peer));
  }

  static boolean permission(Permission permission, String path, Map<String, String> headers) {
    return switch (permission.getRuleCase()) {
      case ANY -> permission.getAny();
      case AND_RULES ->
          permission.getAndRules().getRulesList().stream()
              .allMatch(p -> permission(p, path, headers));
      case OR_RULES ->
          permission.getOrRules().getRulesList().stream()
              .anyMatch(p -> permission(p, path, headers));
      case NOT_RULE -> !permission(permission.getNotRule(), path, headers);
      case HEADER -> Matchers.header(permission.getHeader(), headers);
      case URL_PATH -> Matchers.string(permission.getUrlPath().getPath(), path);
      default -> false; // ports, addresses, SNI…: Meshgate generates none of them
    };
  }

  static boolean principal(Principal principal, Peer peer) {
    return switch (principal.getIdentifierCase()) {
      case ANY -> principal.getAny();
      case AND_IDS -> principal.getAndIds().getIdsList().stream().allMatch(p -> principal(p, peer));
      case OR_IDS -> principal.getOrIds().getIdsList().stream().anyMatch(p -> principal(p, peer));
      case NOT_ID -> !principal(principal.getNotId(), peer);
      case AUTHENTICATED -> {
        if (!peer.tls() || peer.identity().isEmpty()) {
          yield false;
        }
        yield !principal.getAuthenticated().hasPrincipalName()
            || Matchers.string(
                principal.getAuthenticated().getPrincipalName(), peer.identity().get());
      }
      default -> false;
    };
  }
}
