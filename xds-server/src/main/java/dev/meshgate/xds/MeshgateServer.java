package dev.meshgate.xds;

import dev.meshgate.compiler.Source;
import dev.meshgate.discovery.SecretStore;
import dev.meshgate.discovery.ServiceCatalog;
import dev.meshgate.discovery.StaticCatalog;
import dev.meshgate.xds.identity.CertificateAuthority;
import dev.meshgate.xds.identity.IssuedCertificateStore;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.server.DefaultExecutorGroup;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Meshgate control plane: compiles the policy, serves it over xDS (ADS and per-type services,
 * state-of-the-world and delta) to every Envoy, one snapshot per proxy group, recompiles when
 * policy files change, and reports on an admin HTTP port.
 *
 * <p>xDS is mutual TLS unless {@link ServerOptions#insecureXds()}: the server's certificate and
 * every proxy's client certificate come from the built-in CA in {@link ServerOptions#caDir()} (see
 * {@link dev.meshgate.xds.identity.ProxyCredentials}), and a proxy is served only the group its
 * certificate names. Groups with a workload identity also get their SPIFFE certificate and the
 * trust bundle over SDS, rotated at half life.
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

  /** How often gateways' TLS certificate files are re-read (a renewal reaches Envoy over SDS). */
  static final Duration TLS_FILE_POLL =
      Duration.ofMillis(Long.getLong("meshgate.tls-file-poll-ms", 2000));

  private final List<AutoCloseable> resources;
  private final Server grpc;
  private final AdminServer admin;
  private final ServerOptions options;
  private final Readiness readiness;
  private final PolicyReloader reloader;

  private MeshgateServer(
      ServerOptions options,
      Server grpc,
      AdminServer admin,
      Readiness readiness,
      PolicyReloader reloader,
      List<AutoCloseable> resources) {
    this.options = options;
    this.reloader = reloader;
    this.grpc = grpc;
    this.admin = admin;
    this.readiness = readiness;
    this.resources = resources;
  }

  /** What /ready and the gRPC health service say, and the streams a drain ends. */
  private record Readiness(
      java.util.concurrent.atomic.AtomicBoolean ready,
      HealthStatusManager health,
      OpenStreams streams) {}

  /**
   * Compiles the policy and starts serving, with endpoints from the static sources in the policy.
   * Returns once both ports accept connections.
   *
   * @throws PolicyRejectedException when the policy has errors (nothing is started)
   * @throws IOException when the policy cannot be read or a port cannot be bound
   */
  public static MeshgateServer start(ServerOptions options)
      throws IOException, PolicyRejectedException {
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

  /**
   * Like {@link #start(ServerOptions)}, with endpoints also from the discovery adapters that {@code
   * discovery} configures (Consul, Kubernetes) and its endpoint coalescing window. The server owns
   * those catalogs: closing it closes them.
   */
  public static MeshgateServer start(ServerOptions options, DiscoveryOptions discovery)
      throws IOException, PolicyRejectedException {
    ServiceCatalog catalog = discovery.openCatalog();
    Optional<SecretStore> secrets = Optional.empty();
    try {
      secrets = discovery.openSecrets();
      return start(
          options, catalog, PolicyCompiler.DEFAULT, catalog, discovery.coalesce(), true, secrets);
    } catch (IOException | PolicyRejectedException | RuntimeException e) {
      secrets.ifPresent(SecretStore::close);
      catalog.close();
      throw e;
    }
  }

  /**
   * Like {@link #start(ServerOptions, DiscoveryOptions)} for a policy from a bundle: {@link
   * ServerOptions#policyPaths()} is one directory (the unpacked bundle), its files are named
   * relative to it, it is not watched, and {@link #replacePolicy} switches to another.
   */
  public static MeshgateServer startUnwatched(ServerOptions options, DiscoveryOptions discovery)
      throws IOException, PolicyRejectedException {
    ServiceCatalog catalog = discovery.openCatalog();
    Optional<SecretStore> secrets = Optional.empty();
    try {
      secrets = discovery.openSecrets();
      return start(
          options, catalog, PolicyCompiler.ROOTED, catalog, discovery.coalesce(), false, secrets);
    } catch (IOException | PolicyRejectedException | RuntimeException e) {
      secrets.ifPresent(SecretStore::close);
      catalog.close();
      throw e;
    }
  }

  /** What {@link #replacePolicy} did: served, or not and why (the old policy keeps serving). */
  public record PolicyUpdate(boolean served, String policyVersion, Optional<String> reason) {}

  /**
   * Serves the policy under {@code root} (a freshly unpacked bundle; see {@link #startUnwatched})
   * if it compiles and passes the removal guard; otherwise keeps the served one and reports why in
   * /status. The switch happens under the reloader's lock: no reload reads half of each.
   */
  public PolicyUpdate replacePolicy(Path root) {
    LastReload outcome = reloader.replace(List.of(root));
    Optional<String> reason = outcome.error();
    if (!outcome.ok() && reason.isEmpty()) {
      long errors = outcome.diagnostics().stream().filter(d -> d.isError()).count();
      reason =
          Optional.of(
              errors
                  + " error(s), the first: "
                  + outcome.diagnostics().stream()
                      .filter(d -> d.isError())
                      .findFirst()
                      .map(d -> d.render().lines().findFirst().orElse(""))
                      .orElse(""));
    }
    return new PolicyUpdate(outcome.ok(), reloader.servedVersion(), reason);
  }

  /**
   * Records a policy that was refused before compiling (a bundle that failed download or
   * verification): logged and shown in /status as the last reload's error; nothing else changes.
   */
  public void rejectPolicy(String reason) {
    reloader.rejected(reason);
  }

  /** The policy version served now. */
  public String policyVersion() {
    return reloader.servedVersion();
  }

  /** When the files the last load read while they were new will have settled (tests). */
  java.util.Optional<java.time.Duration> untilReadsSettle() {
    return reloader.untilReadsSettle();
  }

  static MeshgateServer start(
      ServerOptions options, ServiceCatalog catalog, PolicyCompiler compiler, AutoCloseable owned)
      throws IOException, PolicyRejectedException {
    return start(options, catalog, compiler, owned, DiscoveryOptions.DEFAULT_COALESCE);
  }

  static MeshgateServer start(
      ServerOptions options,
      ServiceCatalog catalog,
      PolicyCompiler compiler,
      AutoCloseable owned,
      java.time.Duration coalesce)
      throws IOException, PolicyRejectedException {
    return start(options, catalog, compiler, owned, coalesce, true, Optional.empty());
  }

  private static MeshgateServer start(
      ServerOptions options,
      ServiceCatalog catalog,
      PolicyCompiler compiler,
      AutoCloseable owned,
      java.time.Duration coalesce,
      boolean watch,
      Optional<SecretStore> secretStore)
      throws IOException, PolicyRejectedException {
    List<AutoCloseable> started = new ArrayList<>();
    if (owned != null) {
      started.add(owned);
    }
    secretStore.ifPresent(started::add);
    try {
      // A bad token file or an exposed admin API without one stops the server before anything.
      Optional<AdminToken> adminToken = AdminToken.forServer(options);
      Clock clock = Clock.systemUTC();
      Metrics metrics = new Metrics();
      metrics.catalogStaleness(catalog::staleness);
      // The CA comes first: a CA directory that cannot be used stops the server before any port
      // opens.
      CertificateAuthority ca = CertificateAuthority.loadOrCreate(options.caDir());
      LOG.info(
          "{} CA in {}: {}",
          ca.created() ? "created a new" : "using the",
          options.caDir().toAbsolutePath(),
          ca.certificate().getSubjectX500Principal().getName());
      AdsGroups adsGroups = new AdsGroups();
      SimpleCache<String> cache = new AdsCache(adsGroups);
      Publisher publisher =
          new Publisher(
              cache,
              catalog,
              new IdentitySecrets(
                  ca,
                  options.certTtl(),
                  clock,
                  Optional.of(new IssuedCertificateStore(options.caDir(), ca))),
              Optional.of(new GatewayTlsSecrets(ca, options.certTtl(), clock)),
              secretStore,
              clock);
      publisher.coalesceEndpointChanges(coalesce);
      publisher.watchTlsFiles(TLS_FILE_POLL);
      started.add(publisher);
      PolicyReloader reloader =
          new PolicyReloader(
              options.policyPaths(), compiler, publisher, metrics, clock, options.removalGuard());
      options
          .rateLimitConfigDir() // global rate limits (issue 13)
          .map(RateLimitConfigWriter::new)
          .ifPresent(writer -> reloader.onServed(writer::write));
      // Watch before the first load, so that an edit made while we compile is not missed.
      Optional<PolicyWatcher> watcher =
          watch
              ? Optional.of(
                  new PolicyWatcher(
                      options.policyPaths(), options.reloadDebounce(), reloader::reload))
              : Optional.empty();
      watcher.ifPresent(started::add);
      ProxyTracker tracker =
          new ProxyTracker(
              metrics,
              key -> publisher.view().groups().containsKey(key),
              clock,
              publisher::view,
              publisher::servingVersion);
      List<Source> loaded = reloader.initial();
      // Files written just before the start are read once more when they have settled, not at the
      // first edit (issue 17.1).
      reloader.untilReadsSettle().ifPresent(wait -> watcher.ifPresent(w -> w.reloadAfter(wait)));
      ConnectionActivity connections = new ConnectionActivity(); // handshakes, for the warm-up
      // The first edits after a start otherwise compile with a cold JIT (issue 17.1). It steps
      // aside for reloads and for proxies connecting or acknowledging (a fleet reconnecting to a
      // restarted server must not share 2 cores with it).
      started.add(
          CompilerWarmup.start(
              compiler,
              options.policyPaths(),
              loaded,
              CompilerWarmup.Budget.fromProperty(),
              () ->
                  reloader.reloadingWithin(CompilerWarmup.YIELD)
                      || tracker.requestWithin(CompilerWarmup.YIELD)
                      || connections.readyWithin(CompilerWarmup.YIELD)));

      publisher.onViewChanged(tracker::viewChanged); // "group in sync" lines (RolloutLog)
      metrics.groups(() -> publisher.view().groups().keySet(), tracker::connectedByGroup);
      CertificateExpiry expiry =
          new CertificateExpiry(
              ca.certificate(),
              () -> {
                List<io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret> secrets =
                    new ArrayList<>();
                for (String group : publisher.view().groups().keySet()) {
                  var snapshot = cache.getSnapshot(group);
                  if (snapshot != null) {
                    secrets.addAll(snapshot.secrets().resources().values());
                  }
                }
                return secrets;
              },
              clock);
      metrics.certificateExpiry(expiry::secondsByKind);
      metrics.laggingProxies(() ->
          (int)
              tracker.proxies().stream()
                  .filter(p -> !Lag.lagging(publisher.view(), p, clock.instant()).isEmpty())
                  .count());
      XdsRefusals refusals = new XdsRefusals();
      // A NACKed version is not re-sent until it changes (else Envoy and the cache loop).
      NackHold nackHold = new NackHold();
      V3DiscoveryServer discovery =
          new V3DiscoveryServer(
              List.of(tracker),
              // Per-type delta clients get an (empty) answer for types their group has none of
              // (delta ADS: DeltaStream does it).
              nackHold.watcher(new EmptyDeltaAnswers(cache, cache)),
              new DefaultExecutorGroup(),
              new PackedResources());
      List<ServerInterceptor> interceptors = new ArrayList<>();
      // Listed outermost last: the authenticator sees each request before the sticky node fills
      // it in; the NACK hold, innermost, sees the responses exactly as the services send them.
      interceptors.add(nackHold.interceptor());
      interceptors.add(new NodeStickyInterceptor());
      OpenStreams openStreams = new OpenStreams();
      NettyServerBuilder builder;
      InetSocketAddress address = new InetSocketAddress(options.bindAddress(), options.xdsPort());
      if (options.insecureXds()) {
        builder = NettyServerBuilder.forAddress(address);
      } else {
        HandshakeRefusals handshakes = new HandshakeRefusals(metrics, refusals, clock);
        XdsServerTls tls =
            XdsServerTls.start(
                ca,
                XdsServerTls.serverAddresses(options.bindAddress()),
                trust -> handshakes.trustManager(new TrustedChains(trust, clock)));
        started.add(tls);
        builder =
            NettyServerBuilder.forAddress(address, tls.credentials())
                .addTransportFilter(handshakes.transportFilter());
        interceptors.add(new ProxyAuthenticator(metrics, refusals, clock));
      }
      builder.addTransportFilter(connections);
      // Outermost: a draining replica refuses a stream before any other work, and the calls it
      // may end from another thread are the ones every inner interceptor and service writes to.
      interceptors.add(openStreams);
      HealthStatusManager health = new HealthStatusManager();
      java.util.concurrent.atomic.AtomicBoolean ready =
          new java.util.concurrent.atomic.AtomicBoolean(true);
      builder
          // Requests are handled on the connection's event loop, not handed to a pool thread:
          // every handler is short and never blocks (a stream's lock is held only to answer from
          // encoded bytes), and without the hand-offs a reconnect storm costs the server 22-50%
          // less CPU per proxy (issue 17, docs/benchmarks.md).
          .directExecutor()
          .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
          // Envoy may send HTTP/2 keepalive pings; do not treat them as abuse.
          .permitKeepAliveTime(10, TimeUnit.SECONDS)
          .permitKeepAliveWithoutCalls(true)
          .addService(health.getHealthService());
      for (ServerServiceDefinition service : AdsService.services(discovery, adsGroups, tracker)) {
        builder.addService(ServerInterceptors.intercept(service, interceptors));
      }
      Server grpc = builder.build().start();
      started.add(() -> stopGrpc(grpc));

      AdminServer admin =
          new AdminServer(
              options.adminBindAddress(),
              options.adminPort(),
              adminToken,
              AdminApi.pages(
                  new AdminApi.Sources(
                      () ->
                          StatusJson.render(
                              publisher.view(),
                              reloader.lastReload(),
                              tracker.proxies(),
                              refusals.latest()),
                      metrics::scrape,
                      publisher::view,
                      group -> Optional.ofNullable(cache.getSnapshot(group)),
                      reloader::served,
                      ready::get)));
      started.add(admin);

      MeshgateServer server =
          new MeshgateServer(
              options, grpc, admin, new Readiness(ready, health, openStreams), reloader, started);
      if (options.insecureXds()) {
        LOG.warn(
            "--insecure-xds: xDS is PLAINTEXT and proxies are NOT authenticated: anyone who can reach"
                + " port {} gets any group's configuration and workload keys. Development only.",
            server.xdsPort());
      } else {
        LOG.info(
            "xDS is mutual TLS: each proxy needs a client certificate from the CA in {} (meshgate bootstrap"
                + " issues one) and gets only the group it names",
            options.caDir());
      }
      LOG.info(
          "serving xDS on {}:{}, admin on http://{}:{}",
          options.bindAddress(),
          server.xdsPort(),
          options.adminBindAddress(),
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

  /**
   * Stops serving gracefully, as a replica leaving a group of replicas should (issue 16.2): {@code
   * /ready} answers 503 and the gRPC health service NOT_SERVING at once, new xDS streams are
   * refused, the open ones are ended one at a time, evenly over {@code period}, so their Envoys
   * reconnect to the other replicas a few at a time rather than all in one instant; then everything
   * stops as {@link #close()} does. Returns how many streams it ended.
   */
  public int drain(java.time.Duration period) {
    readiness.ready().set(false);
    readiness.health().enterTerminalState();
    grpc.shutdown(); // stop listening; connections get a GOAWAY, their open streams go on
    int ended = 0;
    try {
      ended = readiness.streams().drain(period);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    close();
    return ended;
  }

  /** xDS streams open now. */
  public int openStreams() {
    return readiness.streams().open();
  }

  /** Stops serving at once: open xDS streams are closed, the watcher and admin API stop. */
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
