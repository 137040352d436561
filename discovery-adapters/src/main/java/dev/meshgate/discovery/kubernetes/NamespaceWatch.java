package dev.meshgate.discovery.kubernetes;

import dev.meshgate.discovery.Staleness;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The informers of one namespace (EndpointSlices, Services and, for labels, Pods), shared by every
 * subscription to a service in it. Informer callbacks only mark services dirty; the catalog's
 * single event thread recomputes endpoint lists and calls listeners, so calls for a subscription
 * never overlap and a burst of events yields one recomputation.
 */
final class NamespaceWatch {
  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  private static final String BY_SERVICE = "meshgate.dev/by-service";
  private static final Logger LOG = LoggerFactory.getLogger(NamespaceWatch.class);

  /** Consecutive checks an informer must be seen not watching before subscribers hear of it. */
  private static final int MISSED_CHECKS_BEFORE_ERROR = 2;

  private final String namespace;
  private final Executor events;
  private final SharedIndexInformer<EndpointSlice> slices;
  private final SharedIndexInformer<Service> services;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final Map<String, Map<String, String>> podLabels = new ConcurrentHashMap<>();
  private final Set<ServiceWatcher> watchers = ConcurrentHashMap.newKeySet();
  private final Set<String> dirty = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean everythingDirty = new AtomicBoolean();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private volatile boolean synced;
  private volatile boolean stopped;
  // Event thread only.
  private int missedChecks;

  /** Since when, and why, the namespace's informers cannot list or watch; empty while they can. */
  record Outage(Instant since, String reason) {}

  private Optional<Outage> outage = Optional.empty(); // guarded by this

  private NamespaceWatch(
      String namespace,
      Executor events,
      SharedIndexInformer<EndpointSlice> slices,
      SharedIndexInformer<Service> services) {
    this.namespace = namespace;
    this.events = events;
    this.slices = slices;
    this.services = services;
  }

  /** Creates and starts the namespace's informers; the first lists arrive asynchronously. */
  static NamespaceWatch start(
      KubernetesClient client,
      String namespace,
      KubernetesCatalog.Options options,
      Executor events) {
    long resync = options.resyncPeriod().toMillis();
    SharedIndexInformer<EndpointSlice> slices =
        client.discovery().v1().endpointSlices().inNamespace(namespace).runnableInformer(resync);
    SharedIndexInformer<Service> services =
        client.services().inNamespace(namespace).runnableInformer(resync);
    NamespaceWatch watch = new NamespaceWatch(namespace, events, slices, services);

    slices.addIndexers(Map.of(BY_SERVICE, s -> serviceNameOf(s).map(List::of).orElse(List.of())));
    slices.addEventHandler(watch.markingDirty(NamespaceWatch::serviceNameOf));
    watch.register("EndpointSlices", slices);
    services.addEventHandler(
        watch.markingDirty(s -> Optional.ofNullable(s.getMetadata().getName())));
    watch.register("Services", services);
    if (options.podLabels()) {
      SharedIndexInformer<Pod> pods = client.pods().inNamespace(namespace).runnableInformer(resync);
      // Only the labels matter: keep pods' specs and statuses out of memory.
      pods.itemStore(
          new ReducedStateItemStore<>(
              ReducedStateItemStore.NAME_KEY_STATE,
              Pod.class,
              client.getKubernetesSerialization(),
              "metadata.labels"));
      pods.addEventHandler(watch.trackingPodLabels());
      watch.register("Pods", pods);
    }

    CompletableFuture.allOf(
            watch.informers.stream()
                .map(i -> i.start().toCompletableFuture())
                .toArray(CompletableFuture[]::new))
        .whenComplete((ok, failure) -> {
          if (failure == null) {
            LOG.debug("informers of namespace {} synced", namespace);
            watch.synced = true;
            watch.recovered(Instant.now());
            watch.markEverythingDirty();
          }
        });
    return watch;
  }

  private void register(String kind, SharedIndexInformer<?> informer) {
    // The default gives up when the first list fails (API server down, RBAC not yet granted):
    // keep retrying with fabric8's backoff instead, and tell subscribers.
    informer.exceptionHandler((started, error) -> {
      if (stopped) {
        return false;
      }
      reportError(kind, error);
      return true;
    });
    informers.add(informer);
  }

  String namespace() {
    return namespace;
  }

  int informerCount() {
    return stopped ? 0 : informers.size();
  }

  boolean isEmpty() {
    return watchers.isEmpty();
  }

  void add(ServiceWatcher watcher) {
    watchers.add(watcher);
    markDirty(watcher.service());
    // A subscriber arriving during an outage hears of it too (the others heard at its start).
    outage()
        .ifPresent(o ->
            execute(() ->
                watcher.error(new KubernetesUnavailableException(outageMessage(o.reason())))));
  }

  /** The current outage, if any. */
  synchronized Optional<Outage> outage() {
    return outage;
  }

  /** One entry per subscribed service while the namespace cannot be listed or watched. */
  List<Staleness> staleness() {
    return outage()
        .map(o ->
            watchers.stream()
                .map(w ->
                    new Staleness(
                        "kubernetes:" + namespace + "/" + w.service() + " " + w.port(),
                        o.since(),
                        o.reason(),
                        w.endpointCount()))
                .toList())
        .orElse(List.of());
  }

  void remove(ServiceWatcher watcher) {
    watchers.remove(watcher);
  }

  Set<ServiceWatcher> watchers() {
    return watchers;
  }

  void stop() {
    stopped = true;
    informers.forEach(SharedIndexInformer::stop);
  }

  /** The current endpoints of {@code service}'s {@code port}, from the informer caches. */
  SliceEndpoints.Result endpoints(String service, PortSelector port) {
    Optional<Service> svc =
        Optional.ofNullable(services.getStore().getByKey(namespace + "/" + service));
    List<EndpointSlice> serviceSlices = slices.getIndexer().byIndex(BY_SERVICE, service);
    return SliceEndpoints.compute(
        namespace, service, port, svc, serviceSlices, pod -> podLabels.getOrDefault(pod, Map.of()));
  }

  boolean watching() {
    return synced && !stopped && informers.stream().allMatch(NamespaceWatch::watching);
  }

  /**
   * Event thread: notices watches that stay down (fabric8 reconnects silently) and their return.
   */
  void checkWatches(Instant now) {
    if (!synced || stopped) {
      return;
    }
    if (informers.stream().allMatch(NamespaceWatch::watching)) {
      missedChecks = 0;
      recovered(now);
      return;
    }
    if (++missedChecks == MISSED_CHECKS_BEFORE_ERROR) {
      failed("the watch is down and reconnecting", null, now);
    }
  }

  private static boolean watching(SharedIndexInformer<?> informer) {
    try {
      return informer.isWatching();
    } catch (RuntimeException e) {
      return false; // fabric8 can throw while a watch is being replaced
    }
  }

  private void reportError(String kind, Throwable error) {
    failed("cannot list " + kind + ": " + rootMessage(error), error, Instant.now());
  }

  /**
   * The namespace cannot be listed or watched. Only the change of state is logged and reported to
   * subscribers: fabric8 retries every few seconds, per kind, for as long as the outage lasts.
   */
  private void failed(String reason, Throwable error, Instant now) {
    synchronized (this) {
      if (outage.isPresent()) {
        LOG.debug("namespace {} still unreachable: {}", namespace, reason);
        return;
      }
      outage = Optional.of(new Outage(now, reason));
    }
    String message = outageMessage(reason);
    LOG.warn(message);
    var wrapped = new KubernetesUnavailableException(message, error);
    execute(() -> watchers.forEach(w -> w.error(wrapped)));
  }

  /** Lists and watches work (again): one line when that ends an outage. */
  private void recovered(Instant now) {
    Optional<Outage> ended;
    synchronized (this) {
      ended = outage;
      outage = Optional.empty();
    }
    ended.ifPresent(o ->
        LOG.info(
            "the Kubernetes API answers again for namespace \"{}\" after {} s; endpoints are current",
            namespace,
            Duration.between(o.since(), now).toSeconds()));
  }

  private String outageMessage(String reason) {
    return "cannot reach the Kubernetes API for namespace \""
        + namespace
        + "\" ("
        + reason
        + "); retrying, and serving the last known endpoints meanwhile";
  }

  /** The innermost cause's message: fabric8 wraps a refused connection several times. */
  static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }

  private void markDirty(String service) {
    dirty.add(service);
    scheduleDrain();
  }

  private void markEverythingDirty() {
    everythingDirty.set(true);
    scheduleDrain();
  }

  private void scheduleDrain() {
    if (drainScheduled.compareAndSet(false, true)) {
      execute(this::drain);
    }
  }

  private void execute(Runnable task) {
    try {
      events.execute(task);
    } catch (RejectedExecutionException e) {
      // the catalog is closing
    }
  }

  /** Event thread: recomputes the services marked since the last drain. */
  private void drain() {
    drainScheduled.set(false);
    if (!synced || stopped) {
      return; // the first sync marks everything
    }
    boolean everything = everythingDirty.getAndSet(false);
    Set<String> services = Set.copyOf(dirty);
    dirty.removeAll(services);
    for (ServiceWatcher watcher : watchers) {
      if (everything || services.contains(watcher.service())) {
        try {
          watcher.refresh(endpoints(watcher.service(), watcher.port()));
        } catch (RuntimeException e) {
          // One odd object must not starve the other services; the next change retries.
          LOG.warn("cannot compute the endpoints of {}", watcher, e);
        }
      }
    }
  }

  private <T extends HasMetadata> ResourceEventHandler<T> markingDirty(
      Function<T, Optional<String>> service) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        service.apply(obj).ifPresent(NamespaceWatch.this::markDirty);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        service.apply(oldObj).ifPresent(NamespaceWatch.this::markDirty);
        service.apply(newObj).ifPresent(NamespaceWatch.this::markDirty);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        service.apply(obj).ifPresent(NamespaceWatch.this::markDirty);
      }
    };
  }

  private ResourceEventHandler<Pod> trackingPodLabels() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        put(pod);
      }

      @Override
      public void onUpdate(Pod oldPod, Pod newPod) {
        put(newPod); // status changes (most pod updates) leave the labels, and so nothing, changed
      }

      @Override
      public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
        if (podLabels.remove(pod.getMetadata().getName()) != null) {
          markEverythingDirty();
        }
      }

      private void put(Pod pod) {
        Map<String, String> labels =
            Map.copyOf(Objects.requireNonNullElse(pod.getMetadata().getLabels(), Map.of()));
        if (!labels.equals(podLabels.put(pod.getMetadata().getName(), labels))) {
          // A pod does not say which services select it; recomputing the namespace's watched
          // services is cheap, and unchanged lists are not sent.
          markEverythingDirty();
        }
      }
    };
  }

  static Optional<String> serviceNameOf(EndpointSlice slice) {
    Map<String, String> labels = slice.getMetadata().getLabels();
    return Optional.ofNullable(labels == null ? null : labels.get(SERVICE_NAME_LABEL));
  }

  /** One subscription's view of a service; implemented by the catalog's subscriptions. */
  interface ServiceWatcher {
    String service();

    PortSelector port();

    /**
     * Event thread: the service's current endpoints; sent on when they differ from the last sent.
     */
    void refresh(SliceEndpoints.Result result);

    /** Event thread. */
    void error(Throwable error);

    /** How many endpoints were last sent (0 before the first list). */
    int endpointCount();
  }
}
