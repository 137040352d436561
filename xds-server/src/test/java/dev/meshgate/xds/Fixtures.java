package dev.meshgate.xds;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import dev.meshgate.compiler.ClusterEndpoints;
import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.compiler.ProxyResources;
import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ir.PolicyIr;
import dev.meshgate.compiler.ir.ServiceSource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Hand-built Envoy resources in the shape the compiler produces for a gateway, and a fake compiler
 * for a line-based test format, so the server can be tested without the parser:
 *
 * <pre>
 * gateway edge 8080 2        # gateway name, listen port, route timeout seconds
 * gateway edge 8080 2 spiffe://meshgate.local/gateway/edge   # ... with a workload identity (SDS)
 * sidecar orders             # a sidecar group with identity spiffe://meshgate.local/service/orders
 * endpoint 127.0.0.1 9101 v1 # a static endpoint of service "catalog" (label version=v1)
 * connect-timeout 3          # the gateways' clusters connect in 3 s (default 1 s): a CDS change
 * error MG201 unknown thing  # a compile error at this line
 * </pre>
 */
final class Fixtures {
  private Fixtures() {}

  static final ConfigSource ADS =
      ConfigSource.newBuilder()
          .setAds(AggregatedConfigSource.getDefaultInstance())
          .setResourceApiVersion(ApiVersion.V3)
          .build();

  static Cluster edsCluster(String name) {
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ADS))
        .setConnectTimeout(Duration.newBuilder().setSeconds(1))
        .build();
  }

  static Listener listener(String gateway, int port) {
    HttpConnectionManager hcm =
        HttpConnectionManager.newBuilder()
            .setStatPrefix(gateway + "_" + port)
            .setRds(Rds.newBuilder().setRouteConfigName(gateway).setConfigSource(ADS))
            .addHttpFilters(
                HttpFilter.newBuilder()
                    .setName("envoy.filters.http.router")
                    .setTypedConfig(Any.pack(Router.getDefaultInstance())))
            .build();
    return Listener.newBuilder()
        .setName(gateway + ":" + port)
        .setAddress(
            Address.newBuilder()
                .setSocketAddress(
                    SocketAddress.newBuilder().setAddress("0.0.0.0").setPortValue(port)))
        .addFilterChains(
            FilterChain.newBuilder()
                .addFilters(
                    Filter.newBuilder()
                        .setName("envoy.filters.network.http_connection_manager")
                        .setTypedConfig(Any.pack(hcm))))
        .build();
  }

  static RouteConfiguration routes(String gateway, int timeoutSeconds) {
    return RouteConfiguration.newBuilder()
        .setName(gateway)
        .addVirtualHosts(
            VirtualHost.newBuilder()
                .setName("any")
                .addDomains("*")
                .addRoutes(
                    Route.newBuilder()
                        .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                        .setRoute(
                            RouteAction.newBuilder()
                                .setCluster("catalog.v1")
                                .setTimeout(Duration.newBuilder().setSeconds(timeoutSeconds)))))
        .build();
  }

  static ServiceSource.StaticEndpoint endpoint(String host, int port, String version) {
    return new ServiceSource.StaticEndpoint(host, port, new TreeMap<>(Map.of("version", version)));
  }

  /**
   * Gateway {@code name}: clusters catalog and catalog.v1 (version=v1), one listener, one route
   * table.
   */
  static ProxyResources gateway(
      String name, int port, int timeoutSeconds, List<ServiceSource.StaticEndpoint> endpoints) {
    ServiceSource source = new ServiceSource.Static(endpoints);
    return new ProxyResources(
        ProxyGroup.gateway(name),
        List.of(listener(name, port)),
        List.of(routes(name, timeoutSeconds)),
        List.of(edsCluster("catalog"), edsCluster("catalog.v1")),
        List.of(
            new ClusterEndpoints("catalog", "catalog", source, new TreeMap<>()),
            new ClusterEndpoints(
                "catalog.v1", "catalog", source, new TreeMap<>(Map.of("version", "v1")))));
  }

  /** As {@link #gateway}, with a workload identity. */
  static ProxyResources gateway(
      String name,
      int port,
      int timeoutSeconds,
      List<ServiceSource.StaticEndpoint> endpoints,
      String identity) {
    ProxyResources g = gateway(name, port, timeoutSeconds, endpoints);
    return new ProxyResources(
        g.group(), g.listeners(), g.routes(), g.clusters(), g.endpoints(), Optional.of(identity));
  }

  /**
   * A sidecar group with nothing but its identity {@code spiffe://meshgate.local/service/<name>}.
   */
  static ProxyResources sidecar(String name) {
    return new ProxyResources(
        new ProxyGroup(ProxyGroup.Role.SIDECAR, name),
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        Optional.of("spiffe://meshgate.local/service/" + name));
  }

  /** {@code group} with every cluster's connect timeout set to {@code seconds}. */
  static ProxyResources withConnectTimeout(ProxyResources group, int seconds) {
    List<Cluster> clusters =
        group.clusters().stream()
            .map(c ->
                c.toBuilder().setConnectTimeout(Duration.newBuilder().setSeconds(seconds)).build())
            .toList();
    return new ProxyResources(
        group.group(),
        group.listeners(),
        group.routes(),
        clusters,
        group.endpoints(),
        group.identity());
  }

  static CompiledPolicy policy(ProxyResources... groups) {
    return new CompiledPolicy(new PolicyIr(List.of(), List.of()), List.of(groups));
  }

  /** Compiles the line format described above; real file loading. */
  static final PolicyCompiler FAKE_COMPILER =
      new PolicyCompiler() {
        @Override
        public List<Source> load(List<Path> paths) throws IOException {
          return PolicyCompiler.DEFAULT.load(paths);
        }

        @Override
        public Compilation compile(List<Source> sources) {
          List<Diagnostic> diagnostics = new ArrayList<>();
          List<String[]> gateways = new ArrayList<>();
          List<String> sidecars = new ArrayList<>();
          List<ServiceSource.StaticEndpoint> endpoints = new ArrayList<>();
          int connectTimeout = 1;
          for (Source source : sources) {
            String[] lines = source.text().split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
              String line = lines[i].replaceAll("#.*", "").trim();
              if (line.isEmpty()) {
                continue;
              }
              String[] words = line.split("\\s+");
              Span span = new Span(source.name(), i + 1, 1, line.length());
              switch (words[0]) {
                case "gateway" -> gateways.add(words);
                case "sidecar" -> sidecars.add(words[1]);
                case "endpoint" ->
                    endpoints.add(endpoint(words[1], Integer.parseInt(words[2]), words[3]));
                case "connect-timeout" -> connectTimeout = Integer.parseInt(words[1]);
                case "crash" -> throw new IllegalStateException("a compiler bug");
                case "error" ->
                    diagnostics.add(
                        Diagnostic.error(
                            words[1],
                            span,
                            source,
                            line.substring(line.indexOf(words[1]) + words[1].length()).trim()));
                default ->
                    diagnostics.add(
                        Diagnostic.error("MG100", span, source, "unknown statement " + words[0]));
              }
            }
          }
          if (!diagnostics.isEmpty()) {
            return new Compilation(diagnostics, Optional.empty());
          }
          List<ProxyResources> groups = new ArrayList<>();
          for (String[] g : gateways) {
            ProxyResources gateway =
                g.length > 4
                    ? gateway(g[1], Integer.parseInt(g[2]), Integer.parseInt(g[3]), endpoints, g[4])
                    : gateway(g[1], Integer.parseInt(g[2]), Integer.parseInt(g[3]), endpoints);
            groups.add(withConnectTimeout(gateway, connectTimeout));
          }
          sidecars.forEach(name -> groups.add(sidecar(name)));
          groups.sort((a, b) -> a.group().compareTo(b.group()));
          return new Compilation(
              List.of(),
              Optional.of(new CompiledPolicy(new PolicyIr(List.of(), List.of()), groups)));
        }
      };
}
