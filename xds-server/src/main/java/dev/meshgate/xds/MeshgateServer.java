package dev.meshgate.xds;

import dev.meshgate.discovery.ServiceCatalog;
import dev.meshgate.discovery.StaticCatalog;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.server.DefaultExecutorGroup;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.controlplane.server.serializer.CachedProtoResourcesSerializer;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Meshgate control plane: compiles the policy, serves it over xDS (ADS and per-type
 * services, state-of-the-world and delta) to every Envoy, one snapshot per proxy group,
 * recompiles when policy files change, and reports on an admin HTTP port.
 *
 * <pre>
 * try (MeshgateServer server = MeshgateServer.start(ServerOptions.loopback(List.of(dir)))) {
 *   int xds = server.xdsPort();
 *   ...
 * }
 * </pre>
 */
public final class MeshgateServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MeshgateServer.class);
  private static final int MAX_INBOUND_MESSAGE_BYTES = 16 * 1024 * 1024;

  private final List<AutoCloseable> resources;
  private final Server grpc;
  private final AdminServer admin;
  private final ServerOptions options;

  private MeshgateServer(
      ServerOptions options, Server grpc, AdminServer admin, List<AutoCloseable> resources) {
    this.options = options;
    this.grpc = grpc;
    this.admin = admin;
    this.resources = resources;
  }

  /**
   * Compiles the policy and starts serving, with endpoints from the static sources in the
   * policy. Returns once both ports accept connections.
   *
   * @throws PolicyRejectedException when the policy has errors (nothing is started)
   * @throws IOException when the policy cannot be read or a port cannot be bound
   */
  public static MeshgateServer start(ServerOptions options) throws IOException, PolicyRejectedException {
    StaticCatalog catalog = new StaticCatalog();
    try {
      return start(options, catalog, PolicyCompiler.DEFAULT, catalog);
    } catch (IOException | PolicyRejectedException | RuntimeException e) {
      catalog.close();
      throw e;
    }
  }

  /**
   * Like {@link #start(ServerOptions)}, with endpoints from {@code catalog}. The caller keeps
   * ownership of the catalog: closing the server does not close it.
   */
  public static MeshgateServer start(ServerOptions options, ServiceCatalog catalog)
      throws IOException, PolicyRejectedException {
    return start(options, catalog, PolicyCompiler.DEFAULT, null);
  }

  static MeshgateServer start(
      ServerOptions options, ServiceCatalog catalog, PolicyCompiler compiler, AutoCloseable owned)
      throws IOException, PolicyRejectedException {
    List<AutoCloseable> started = new ArrayList<>();
    if (owned != null) {
      started.add(owned);
    }
    try {
      Clock clock = Clock.systemUTC();
      Metrics metrics = new Metrics();
      SimpleCache<String> cache = new SimpleCache<>(NodeGroups::key);
      Publisher publisher = new Publisher(cache, catalog);
      started.add(publisher);
      PolicyReloader reloader =
          new PolicyReloader(options.policyPaths(), compiler, publisher, metrics, clock);
      // Watch before the first load, so that an edit made while we compile is not missed.
      PolicyWatcher watcher =
          new PolicyWatcher(options.policyPaths(), options.reloadDebounce(), reloader::reload);
      started.add(watcher);
      reloader.initial();

      ProxyTracker tracker =
          new ProxyTracker(metrics, key -> publisher.view().groups().containsKey(key), clock);
      V3DiscoveryServer discovery =
          new V3DiscoveryServer(
              List.of(tracker), cache, new DefaultExecutorGroup(), new CachedProtoResourcesSerializer());
      NodeStickyInterceptor sticky = new NodeStickyInterceptor();
      HealthStatusManager health = new HealthStatusManager();
      NettyServerBuilder builder =
          NettyServerBuilder.forAddress(new InetSocketAddress(options.bindAddress(), options.xdsPort()))
              .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
              // Envoy may send HTTP/2 keepalive pings; do not treat them as abuse.
              .permitKeepAliveTime(10, TimeUnit.SECONDS)
              .permitKeepAliveWithoutCalls(true)
              .addService(health.getHealthService());
      for (BindableService service :
          List.<BindableService>of(
              discovery.getAggregatedDiscoveryServiceImpl(),
              discovery.getClusterDiscoveryServiceImpl(),
              discovery.getEndpointDiscoveryServiceImpl(),
              discovery.getListenerDiscoveryServiceImpl(),
              discovery.getRouteDiscoveryServiceImpl())) {
        builder.addService(ServerInterceptors.intercept(service, sticky));
      }
      Server grpc = builder.build().start();
      started.add(() -> stopGrpc(grpc));

      AdminServer admin =
          new AdminServer(
              options.bindAddress(),
              options.adminPort(),
              () -> StatusJson.render(publisher.view(), reloader.lastReload(), tracker.proxies()),
              metrics::scrape);
      started.add(admin);

      MeshgateServer server = new MeshgateServer(options, grpc, admin, started);
      LOG.warn(
          "xDS is plaintext: no TLS and no authentication of proxies yet; bind it to a trusted"
              + " network only");
      LOG.info(
          "serving xDS on {}:{}, admin on http://{}:{}",
          options.bindAddress(),
          server.xdsPort(),
          options.bindAddress(),
          server.adminPort());
      return server;
    } catch (IOException | PolicyRejectedException | RuntimeException e) {
      closeAll(started);
      throw e;
    }
  }

  /** The bound xDS (gRPC) port: the chosen one when {@link ServerOptions#xdsPort()} was 0. */
  public int xdsPort() {
    return ((InetSocketAddress) grpc.getListenSockets().getFirst()).getPort();
  }

  /** The bound admin HTTP port. */
  public int adminPort() {
    return admin.port();
  }

  public ServerOptions options() {
    return options;
  }

  /** Stops serving: open xDS streams are closed, the watcher and admin API stop. */
  @Override
  public void close() {
    closeAll(resources);
    LOG.info("stopped");
  }

  private static void stopGrpc(Server grpc) throws InterruptedException {
    grpc.shutdown();
    if (!grpc.awaitTermination(1, TimeUnit.SECONDS)) {
      grpc.shutdownNow(); // open streams never end by themselves
      grpc.awaitTermination(2, TimeUnit.SECONDS);
    }
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        LOG.warn("error while stopping", e);
      }
    }
    resources.clear();
  }
}
