package dev.meshgate.discovery.kubernetes;

import dev.meshgate.discovery.Endpoint;
import dev.meshgate.discovery.EndpointListener;
import dev.meshgate.discovery.ServiceCatalog;
import dev.meshgate.discovery.ServiceQuery;
import dev.meshgate.discovery.Staleness;
import dev.meshgate.discovery.Subscription;
import dev.meshgate.discovery.UnsupportedQueryException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@link ServiceQuery.Kubernetes} from the cluster's discovery.k8s.io/v1 EndpointSlices,
 * watched with fabric8 informers: one set per namespace (slices, Services, Pods), started by the
 * first subscription to a service there, shared by all, stopped with the last.
 *
 * <ul>
 *   <li>Terminating endpoints are left out (drained); ready ones are healthy, not-ready ones are
 *       reported unhealthy (an unset condition counts as ready, as the API says).
 *   <li>{@code port} is a Service port name, matched to the slice ports of that name, or a Service
 *       port number, mapped through the Service object to its name and so to the target port the
 *       slices list.
 *   <li>Labels: the slice's labels overlaid with the backing pod's (the pod wins), so subsets
 *       select on pod labels. Zone: the endpoint's zone.
 * </ul>
 *
 * <p>Listeners get full lists, only when they change, from one event thread: in order and never
 * overlapping. The first list comes once the namespace's informers have synced. When the API server
 * cannot be listed or watched, the caches (and so the last lists) stay, fabric8 re-lists and
 * re-watches with backoff, and listeners get {@link EndpointListener#onError} with a {@link
 * KubernetesUnavailableException}.
 *
 * <p>Needs RBAC to get, list and watch {@code endpointslices} (discovery.k8s.io), {@code services}
 * and {@code pods} in the namespaces it serves.
 */
public final class KubernetesCatalog implements ServiceCatalog {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesCatalog.class);

  /**
   * Tuning.
   *
   * @param resyncPeriod how often informers replay their cache to the catalog (a safety net against
   *     missed events; {@link Duration#ZERO} turns it off, otherwise at least 1 s)
   * @param watchCheckInterval how often the catalog checks that its watches are up; a watch found
   *     down twice in a row is reported to listeners
   * @param podLabels whether to watch pods for their labels (off: slice labels only, and no RBAC on
   *     pods needed)
   */
  public record Options(Duration resyncPeriod, Duration watchCheckInterval, boolean podLabels) {
    public Options {
      Objects.requireNonNull(resyncPeriod, "resyncPeriod");
      Objects.requireNonNull(watchCheckInterval, "watchCheckInterval");
      if (resyncPeriod.isNegative() || (!resyncPeriod.isZero() && resyncPeriod.toMillis() < 1000)) {
        throw new IllegalArgumentException(
            "resync period must be 0 (off) or at least 1s: " + resyncPeriod);
      }
      if (watchCheckInterval.toMillis() < 1) {
        throw new IllegalArgumentException(
            "watch check interval must be positive: " + watchCheckInterval);
      }
    }

    /** Resync every 10 minutes, check watches every 5 seconds, pod labels on. */
    public static Options defaults() {
      return new Options(Duration.ofMinutes(10), Duration.ofSeconds(5), true);
    }

    public Options withResyncPeriod(Duration resyncPeriod) {
      return new Options(resyncPeriod, watchCheckInterval, podLabels);
    }

    public Options withWatchCheckInterval(Duration watchCheckInterval) {
      return new Options(resyncPeriod, watchCheckInterval, podLabels);
    }

    public Options withPodLabels(boolean podLabels) {
      return new Options(resyncPeriod, watchCheckInterval, podLabels);
    }
  }

  private final KubernetesClient client;
  private final boolean ownsClient;
  private final Options options;

  /** The single thread that recomputes lists and calls listeners. */
  private final ScheduledThreadPoolExecutor events;

  private final Object lock = new Object();
  private final Map<String, NamespaceWatch> namespaces =
      new ConcurrentHashMap<>(); // writes under lock
  private boolean closed; // guarded by lock

  /**
   * Connects the way kubectl would: in a pod, its service account; otherwise the kubeconfig ({@code
   * KUBECONFIG} or {@code ~/.kube/config}) and its current context. fabric8's usual system
   * properties and environment variables ({@code kubernetes.master}, …) apply too. Closing the
   * catalog closes the client.
   *
   * @throws KubernetesUnavailableException when there is no cluster to connect to (no kubeconfig
   *     and not in a pod), saying what is missing
   */
  public static KubernetesCatalog connect() {
    return connect(Optional.empty(), Options.defaults());
  }

  /**
   * Like {@link #connect()}, with a kubeconfig context other than the current one.
   *
   * @param context the kubeconfig context to use; empty for the current context (or in-cluster)
   */
  public static KubernetesCatalog connect(Optional<String> context, Options options) {
    ClusterConfiguration.whyMissing(
            System.getenv(), System.getProperties(), ClusterConfiguration.home())
        .ifPresent(why -> {
          throw new KubernetesUnavailableException(why);
        });
    Config config = Config.autoConfigure(context.orElse(null));
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    try {
      return new KubernetesCatalog(client, options, true);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** A catalog on {@code client}, with default options. The caller keeps owning the client. */
  public KubernetesCatalog(KubernetesClient client) {
    this(client, Options.defaults());
  }

  /**
   * A catalog on {@code client}. The caller keeps owning the client: close it after the catalog.
   */
  public KubernetesCatalog(KubernetesClient client, Options options) {
    this(client, options, false);
  }

  private KubernetesCatalog(KubernetesClient client, Options options, boolean ownsClient) {
    this.client = Objects.requireNonNull(client, "client");
    this.options = Objects.requireNonNull(options, "options");
    this.ownsClient = ownsClient;
    this.events =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "meshgate-kubernetes-catalog");
              t.setDaemon(true);
              return t;
            });
    long check = options.watchCheckInterval().toMillis();
    events.scheduleWithFixedDelay(this::checkWatches, check, check, TimeUnit.MILLISECONDS);
  }

  @Override
  public Subscription subscribe(ServiceQuery query, EndpointListener listener) {
    Objects.requireNonNull(listener, "listener");
    ServiceQuery.Kubernetes k =
        switch (query) {
          case ServiceQuery.Kubernetes kube -> kube;
          case ServiceQuery.Static s ->
              throw new UnsupportedQueryException(
                  s, "the Kubernetes catalog cannot serve endpoints written in the policy");
          case ServiceQuery.Consul c ->
              throw new UnsupportedQueryException(
                  c,
                  "the Kubernetes catalog cannot look up Consul service \"" + c.service() + "\"");
        };
    if (k.namespace().isBlank() || k.name().isBlank()) {
      throw new IllegalArgumentException(
          "Kubernetes service needs a namespace and a name, got \""
              + k.namespace()
              + "/"
              + k.name()
              + "\"");
    }
    PortSelector port = PortSelector.parse(k.port());
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException("catalog is closed");
      }
      NamespaceWatch namespace =
          namespaces.computeIfAbsent(
              k.namespace(), ns -> NamespaceWatch.start(client, ns, options, events));
      KubeSubscription subscription = new KubeSubscription(namespace, k, port, listener);
      namespace.add(subscription);
      return subscription;
    }
  }

  @Override
  public void close() {
    List<NamespaceWatch> stopped;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      stopped = List.copyOf(namespaces.values());
      namespaces.clear();
    }
    for (NamespaceWatch namespace : stopped) {
      namespace.stop();
      namespace.watchers().forEach(w -> ((KubeSubscription) w).markCancelled());
    }
    events.shutdownNow();
    if (ownsClient) {
      client.close();
    }
  }

  @Override
  public List<Staleness> staleness() {
    return namespaces.values().stream()
        .flatMap(n -> n.staleness().stream())
        .sorted(java.util.Comparator.comparing(Staleness::source))
        .toList();
  }

  /** Informers running now: 3 per watched namespace (2 without pod labels). For tests. */
  int informerCount() {
    return namespaces.values().stream().mapToInt(NamespaceWatch::informerCount).sum();
  }

  /** True when every namespace has synced and all its watches are up. For tests. */
  boolean watching() {
    return namespaces.values().stream().allMatch(NamespaceWatch::watching);
  }

  private void checkWatches() {
    Instant now = Instant.now();
    for (NamespaceWatch namespace : namespaces.values()) {
      try {
        namespace.checkWatches(now);
      } catch (RuntimeException e) {
        // An exception would cancel the periodic check for good.
        LOG.warn("checking the watches of namespace {} failed", namespace.namespace(), e);
      }
    }
  }

  private void release(KubeSubscription subscription) {
    synchronized (lock) {
      NamespaceWatch namespace = subscription.namespace;
      namespace.remove(subscription);
      if (namespace.isEmpty() && namespaces.get(namespace.namespace()) == namespace) {
        // Publisher subscribes a changed query before cancelling the old one, so a namespace
        // still in use is never stopped and re-listed on a policy reload.
        namespaces.remove(namespace.namespace());
        namespace.stop();
        LOG.debug(
            "stopped the informers of namespace {}: no subscriptions left", namespace.namespace());
      }
    }
  }

  private final class KubeSubscription implements Subscription, NamespaceWatch.ServiceWatcher {
    final NamespaceWatch namespace;
    private final ServiceQuery.Kubernetes query;
    private final PortSelector port;
    private final EndpointListener listener;
    // Event thread only.
    private volatile Optional<List<Endpoint>> last =
        Optional.empty(); // written on the event thread
    private Optional<String> lastProblem = Optional.empty();
    private boolean cancelled; // guarded by this

    KubeSubscription(
        NamespaceWatch namespace,
        ServiceQuery.Kubernetes query,
        PortSelector port,
        EndpointListener listener) {
      this.namespace = namespace;
      this.query = query;
      this.port = port;
      this.listener = listener;
    }

    @Override
    public String service() {
      return query.name();
    }

    @Override
    public PortSelector port() {
      return port;
    }

    @Override
    public void refresh(SliceEndpoints.Result result) {
      if (!result.problem().equals(lastProblem)) {
        lastProblem = result.problem();
        result.problem().ifPresent(p -> LOG.warn("{}: {}", describe(), p));
      }
      if (last.isPresent() && last.get().equals(result.endpoints())) {
        return; // resyncs, pod status updates, other ports of the service
      }
      last = Optional.of(result.endpoints());
      deliver(() -> listener.onEndpoints(result.endpoints()));
    }

    @Override
    public void error(Throwable error) {
      deliver(() -> listener.onError(error));
    }

    @Override
    public int endpointCount() {
      return last.map(List::size).orElse(0);
    }

    /** Holding the lock while calling keeps the promise that no call starts after cancel(). */
    private synchronized void deliver(Runnable call) {
      if (cancelled) {
        return;
      }
      try {
        call.run();
      } catch (RuntimeException e) {
        LOG.warn("endpoint listener of {} failed", describe(), e);
      }
    }

    synchronized void markCancelled() {
      cancelled = true;
    }

    @Override
    public void cancel() {
      synchronized (this) {
        if (cancelled) {
          return;
        }
        cancelled = true;
      }
      release(this);
    }

    private String describe() {
      return "Kubernetes service " + query.namespace() + "/" + query.name() + " " + port;
    }

    @Override
    public String toString() {
      return describe();
    }
  }
}
