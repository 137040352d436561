package dev.meshgate.xds;

import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.discovery.Endpoint;
import dev.meshgate.discovery.EndpointListener;
import dev.meshgate.discovery.SecretStore;
import dev.meshgate.discovery.ServiceCatalog;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the snapshot cache: every {@code setSnapshot} happens on one thread, so the responses one
 * stream gets stay in the order snapshots were made (java-control-plane answers open watches on the
 * publishing thread, CDS before EDS, LDS before RDS), and a policy reload and an endpoint change
 * never interleave.
 *
 * <p>A group's snapshot is replaced only when one of its type versions changed; a type whose
 * version did not change is not re-sent. Endpoints are watched per service through the {@link
 * ServiceCatalog}; an endpoint change rebuilds only the groups that use the service, and only their
 * EDS version moves.
 *
 * <p>Endpoint changes are coalesced: the first change after a quiet period schedules one rebuild a
 * short window later ({@link #DEFAULT_COALESCE}), and every change that arrives meanwhile rides
 * along, so a burst of catalog updates (a rolling deploy, Consul coming back) costs one snapshot
 * per group rather than one per update. Each ClusterLoadAssignment carries its own content hash, so
 * only clusters whose endpoints changed get new versions: delta xDS clients are sent just those,
 * and state-of-the-world clients watching other clusters nothing.
 */
final class Publisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);

  /** What /status and the proxy tracker read, replaced whole after each change. */
  record View(
      String policyVersion,
      SortedMap<String, TypeVersions> groups,
      Map<String, Instant> changedAt) {
    View {
      groups = Collections.unmodifiableSortedMap(new TreeMap<>(groups));
      changedAt = Map.copyOf(changedAt);
    }

    View(String policyVersion, SortedMap<String, TypeVersions> groups) {
      this(policyVersion, groups, Map.of());
    }

    /** When the group's served versions last changed (the epoch when unknown). */
    Instant changedAt(String group) {
      return changedAt.getOrDefault(group, Instant.EPOCH);
    }
  }

  private final SimpleCache<String> cache;
  private final IdentitySecrets secrets;

  /** Secrets and route credentials, read from their files on every build. */
  private final ServedCredentials credentials;

  private final Optional<SecretStore> secretStore; // kubernetes-secret credentials (issue 12)

  private final Clock clock;
  private final ScheduledExecutorService executor;
  private final Thread thread;

  // Confined to the publisher thread.
  private PreparedGroups prepared = PreparedGroups.NONE;

  private final ServiceWatches watches;
  private final Map<String, GroupSnapshot> published = new HashMap<>();
  private final BuiltSnapshots built = new BuiltSnapshots();
  private final Map<String, Instant> changedAt = new HashMap<>();

  /** The served versions of the policy's groups, kept as groups are published; views copy it. */
  private final SortedMap<String, TypeVersions> served = new TreeMap<>();

  /** The groups whose snapshot was replaced since the view last changed. */
  private final Set<String> touched = new HashSet<>();

  /** The pending certificate rotation of each group with an identity. */
  private final Map<String, Rotation> rotations = new HashMap<>();

  private boolean applying;

  /** Services whose endpoints changed since the last publish (endpoint coalescing). */
  private final Set<String> dirty = new TreeSet<>();

  private boolean flushScheduled;
  private volatile Duration coalesce = DEFAULT_COALESCE;

  /** How long endpoint changes are collected before the groups using them are rebuilt. */
  static final Duration DEFAULT_COALESCE = Duration.ofMillis(100);

  private record Rotation(Instant at, ScheduledFuture<?> task) {}

  private volatile View view = new View("", new TreeMap<>());

  /**
   * The policy version whose snapshots are being published or served: set before the snapshots go
   * out, so the push lines java-control-plane's answers cause already carry it (the view is
   * replaced only after every group is published).
   */
  private volatile String serving = "";

  private volatile Consumer<Set<String>> viewListener = groups -> {};

  /** Why a group's snapshot is published: the {@code trigger} of its log line. */
  enum Trigger {
    POLICY,
    ENDPOINTS,
    TLS_FILES,
    ROTATION;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  Publisher(
      SimpleCache<String> cache,
      ServiceCatalog catalog,
      IdentitySecrets secrets,
      Optional<GatewayTlsSecrets> tls,
      Optional<SecretStore> secretStore,
      Clock clock) {
    this.secretStore = secretStore;
    this.credentials = new ServedCredentials(secrets, tls, secretStore);
    this.cache = cache;
    this.watches = new ServiceWatches(catalog, secretStore);
    this.secrets = secrets;
    this.clock = clock;
    Thread[] holder = new Thread[1];
    this.executor =
        Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "meshgate-publisher");
          t.setDaemon(true);
          holder[0] = t;
          return t;
        });
    // Start the thread now so that thread identity checks work from the first task on.
    await(executor.submit(() -> {}));
    this.thread = holder[0];
  }

  View view() {
    return view;
  }

  /**
   * Called on the publisher thread after each change of {@link #view()}, with the groups whose
   * snapshot was replaced since the last change (a removed group's empty one included), in key
   * order.
   */
  void onViewChanged(Consumer<SortedSet<String>> listener) {
    this.viewListener = groups -> listener.accept(new TreeSet<>(groups));
  }

  /** A new view of {@code policyVersion} with the served versions and times as they are now. */
  private void setView(String policyVersion) {
    Set<String> changed = Set.copyOf(touched);
    touched.clear();
    view = new View(policyVersion, served, changedAt);
    viewListener.accept(changed);
  }

  /** The policy version being published or served now (empty before the first policy). */
  String servingVersion() {
    return serving;
  }

  /** Sets the endpoint coalescing window; zero publishes every change at once. */
  void coalesceEndpointChanges(Duration window) {
    if (window.isNegative()) {
      throw new IllegalArgumentException(
          "endpoint coalescing window must not be negative: " + window);
    }
    coalesce = window;
  }

  /**
   * Serves {@code policy}: subscribes to the endpoints of the services it uses, publishes every
   * group whose snapshot changed and an empty snapshot for groups it no longer has. All or nothing:
   * if a service cannot be watched, nothing changes and the exception propagates.
   */
  void apply(CompiledPolicy policy) {
    await(executor.submit(() -> doApply(policy)));
  }

  private void doApply(CompiledPolicy policy) {
    PreparedGroups next = prepared.next(policy.groups());
    PreparedGroups.Changes changes = next.changes();
    boolean started;
    applying = true;
    try {
      if (changes.sameWants()) {
        // The subscriptions stay: only the changed groups' secrets need checking.
        for (String key : changes.changed()) {
          SecretCredentials.requireStore(next.from().get(key).secrets(), secretStore);
        }
        started = false;
      } else {
        started = watches.watch(policy.groups(), this::listener);
      }
      prepared = next;
    } finally {
      applying = false;
    }
    // Groups using a service whose endpoints changed since the last publish take them now.
    Set<String> moved = Set.copyOf(dirty);
    dirty.clear();
    String version = prepared.version();
    serving = version;
    publishAll(started ? Optional.empty() : Optional.of(changes), moved);
    setView(version);
  }

  private EndpointListener listener(ServiceWatch watch) {
    return new EndpointListener() {
      @Override
      public void onEndpoints(List<Endpoint> endpoints) {
        List<Endpoint> copy = List.copyOf(endpoints);
        if (Thread.currentThread() == thread) {
          endpointsChanged(watch, copy); // a catalog answering inside subscribe()
        } else {
          executor.execute(() -> endpointsChanged(watch, copy));
        }
      }

      @Override
      public void onError(Throwable error) {
        LOG.warn(
            "endpoints of service {} unavailable, keeping the last known ones: {}",
            watch.service,
            error.toString());
      }
    };
  }

  private void endpointsChanged(ServiceWatch watch, List<Endpoint> endpoints) {
    try {
      if (watch.cancelled) {
        return; // an answer to a query the policy no longer has
      }
      watch.endpoints = endpoints;
      if (applying || !watches.current(watch)) {
        return; // doApply publishes once at its end, with this watch installed
      }
      dirty.add(watch.service);
      Duration window = coalesce;
      if (window.isZero()) {
        flushEndpointChanges();
      } else if (!flushScheduled) {
        flushScheduled = true;
        executor.schedule(this::flushEndpointChanges, window.toNanos(), TimeUnit.NANOSECONDS);
      }
    } catch (RuntimeException e) {
      LOG.error("could not publish new endpoints of service {}", watch.service, e);
    }
  }

  /** Rebuilds, once, every group using a service whose endpoints changed since the last publish. */
  private void flushEndpointChanges() {
    flushScheduled = false;
    if (dirty.isEmpty()) {
      return; // a policy apply published them meanwhile
    }
    Set<String> changed = Set.copyOf(dirty);
    dirty.clear();
    try {
      for (PreparedGroup group : prepared.groups().values()) {
        if (group.usesAny(changed)) {
          publish(build(group), Trigger.ENDPOINTS);
        }
      }
      setView(view.policyVersion());
    } catch (RuntimeException e) {
      LOG.error("could not publish new endpoints of services {}", changed, e);
    }
  }

  /** The group's snapshot now; its certificates are issued or replaced here when due. */
  private GroupSnapshot build(PreparedGroup prepared) {
    PreparedGroup group = credentials.routes(prepared); // api keys, basic auth (issue 12)
    GroupSnapshot snapshot = built.build(group, watches::endpointsOf, credentials.secrets(group));
    scheduleRotation(group.key());
    return snapshot;
  }

  /**
   * Re-reads the gateways' TLS files every {@code interval}: a renewed certificate goes out over
   * SDS (only the secrets' version moves), with no restart and no dropped connection.
   */
  void watchTlsFiles(Duration interval) {
    executor.scheduleWithFixedDelay(
        () -> {
          try {
            boolean any = false;
            for (PreparedGroup group : prepared.groups().values()) {
              if (GatewayTlsSecrets.readsFiles(group.tlsSecrets())) {
                publish(build(group), Trigger.TLS_FILES);
                any = true;
              }
            }
            if (any) {
              setView(view.policyVersion());
            }
          } catch (RuntimeException e) {
            LOG.error("could not re-read TLS certificate files", e);
          }
        },
        interval.toMillis(),
        interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Keeps one rotation task per group with a certificate, at the time its certificate says. */
  private void scheduleRotation(String key) {
    Optional<Instant> at = credentials.rotateAt(key);
    Rotation pending = rotations.get(key);
    if (pending != null && at.isPresent() && pending.at().equals(at.get())) {
      return;
    }
    if (pending != null) {
      pending.task().cancel(false);
      rotations.remove(key);
    }
    if (at.isPresent()) {
      long delay = Math.max(0, Duration.between(clock.instant(), at.get()).toMillis());
      rotations.put(
          key,
          new Rotation(
              at.get(), executor.schedule(() -> rotate(key), delay, TimeUnit.MILLISECONDS)));
    }
  }

  /** Half a certificate's life is over: a new one goes out over SDS (other types unchanged). */
  private void rotate(String key) {
    try {
      rotations.remove(key);
      PreparedGroup group = prepared.groups().get(key);
      if (group == null || (group.identity().isEmpty() && group.tlsSecrets().isEmpty())) {
        return;
      }
      if (secrets.rotateAt(key).map(at -> !clock.instant().isBefore(at)).orElse(false)
          || !credentials.tlsRotates(key)) {
        secrets.rotate(key);
      }
      publish(build(group), Trigger.ROTATION);
      setView(view.policyVersion());
    } catch (RuntimeException e) {
      LOG.error("could not rotate the certificate of {}; retrying in a minute", key, e);
      rotations.put(
          key,
          new Rotation(Instant.MAX, executor.schedule(() -> rotate(key), 1, TimeUnit.MINUTES)));
    }
  }

  /**
   * Publishes the groups of {@code prepared}: every one, or with {@code only} the changes of a
   * reload, just those a rebuild could change: the changed groups, those using a service in {@code
   * moved}, and those whose credentials are read at build time (gateways' TLS, api keys, basic
   * auth). Any other group would build the snapshot it has (BuiltSnapshots), and at 1,000 groups
   * asking each was most of an edit's publish.
   */
  private void publishAll(Optional<PreparedGroups.Changes> only, Set<String> moved) {
    boolean gone = only.map(c -> !c.removed().isEmpty()).orElse(true);
    if (gone) {
      Set<String> keys = new HashSet<>(prepared.groups().keySet());
      credentials.retain(keys);
      built.retain(keys);
    }
    for (PreparedGroup group : prepared.groups().values()) {
      if (only.isEmpty() || rebuilds(group, only.get(), moved)) {
        publish(build(group), Trigger.POLICY);
      }
    }
    if (!gone) {
      return;
    }
    for (String key : Set.copyOf(rotations.keySet())) {
      if (!prepared.groups().containsKey(key) || credentials.rotateAt(key).isEmpty()) {
        rotations.remove(key).task().cancel(false);
      }
    }
    for (String key : Set.copyOf(published.keySet())) {
      if (!prepared.groups().containsKey(key)) {
        GroupSnapshot empty = SnapshotBuilder.empty(key);
        if (!published.get(key).versions().equals(empty.versions())) {
          LOG.warn(
              "group {} is no longer in the policy: its proxies now get an empty configuration",
              key);
        }
        publish(empty, Trigger.POLICY);
      }
    }
  }

  private boolean rebuilds(PreparedGroup group, PreparedGroups.Changes changes, Set<String> moved) {
    return changes.changed().contains(group.key())
        || !published.containsKey(group.key())
        || !group.tlsSecrets().isEmpty()
        || group.usesAny(moved);
  }

  private void publish(GroupSnapshot snapshot, Trigger trigger) {
    String key = snapshot.key();
    GroupSnapshot previous = published.get(key);
    if (previous == null || !previous.versions().equals(snapshot.versions())) {
      if (previous != null) {
        snapshot = snapshot.retaining(previous);
      }
      cache.setSnapshot(key, snapshot.snapshot());
      published.put(key, snapshot);
      changedAt.put(key, clock.instant());
      touched.add(key);
      RolloutLog.published(key, snapshot.versions(), serving, trigger.label());
    }
    if (prepared.groups().containsKey(key)) {
      served.put(key, published.get(key).versions());
    } else {
      served.remove(key);
    }
  }

  @Override
  public void close() {
    try {
      await(
          executor.submit(() -> {
            watches.cancelAll();
            rotations.values().forEach(r -> r.task().cancel(false));
            rotations.clear();
          }));
    } catch (RuntimeException e) {
      LOG.debug("closing subscriptions", e);
    }
    executor.shutdown();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void await(Future<?> future) {
    try {
      future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
