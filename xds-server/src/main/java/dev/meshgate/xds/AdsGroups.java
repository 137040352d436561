package dev.meshgate.xds;

import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;

/**
 * What our ADS streams ({@link SotwStream}, {@link DeltaStream}) answer from: each group's latest
 * snapshot, the open streams of the group, the state-of-the-world response bodies encoded for it,
 * and the delta answers computed for its streams' states.
 *
 * <p>A publish reaches every stream of the group on the publishing thread, in the order the
 * snapshot cache answered before (one thread sets snapshots, so streams see versions in order).
 * Bodies and delta answers are kept only for the current snapshot: a publish drops every one built
 * from resources it replaced, so no old generation outlives its last push.
 */
final class AdsGroups {

  /** One group: written by the publisher, read by the streams. */
  private static final class Group {
    volatile @Nullable Snapshot snapshot;
    final Set<AdsStream> streams = ConcurrentHashMap.newKeySet();
    final ConcurrentMap<BodyKey, AdsBody> bodies = new ConcurrentHashMap<>();
    final ConcurrentMap<List<String>, List<String>> names = new ConcurrentHashMap<>();
    // Delta: one answer per stream state and snapshot, and the states shared by equal streams.
    final ConcurrentMap<DeltaKey, DeltaResponses.Answer> deltas = new ConcurrentHashMap<>();
    final ConcurrentMap<Set<String>, Set<String>> nameSets = new ConcurrentHashMap<>();
    final ConcurrentMap<Map<String, String>, Map<String, String>> held = new ConcurrentHashMap<>();
  }

  /**
   * A delta stream's state for one type, compared by identity: the group's streams in the same
   * state hold the same instances (their first answers make them so), so a publish computes what
   * they are sent once, not once per stream.
   */
  private record DeltaKey(
      XdsType type,
      boolean wildcard,
      Set<String> names,
      Map<String, String> held,
      Map<String, VersionedResource<?>> resources) {
    @Override
    public boolean equals(Object o) {
      return o instanceof DeltaKey k
          && k.type == type
          && k.wildcard == wildcard
          && k.names == names
          && k.held == held
          && k.resources == resources;
    }

    @Override
    public int hashCode() {
      return ((type.hashCode() * 31 + System.identityHashCode(names)) * 31
                  + System.identityHashCode(held))
              * 31
          + System.identityHashCode(resources)
          + (wildcard ? 1 : 0);
    }
  }

  /** Delta answers and shared states kept per group before starting over (bounds memory). */
  private static final int MAX_DELTA_STATES = 4096;

  /** Distinct name lists remembered per group before starting over (bounds memory under churn). */
  private static final int MAX_NAME_LISTS = 256;

  /** A group's proxies ask for the same names: they share one body per type and names. */
  private record BodyKey(XdsType type, List<String> names) {}

  private final ConcurrentMap<String, Group> groups = new ConcurrentHashMap<>();

  /** The snapshot cache set {@code group}'s snapshot: answer the streams waiting for it. */
  void published(String group, Snapshot snapshot) {
    // Set under the group's key lock, so a stream leaving at the same moment cannot drop it.
    Group g =
        groups.compute(
            group,
            (k, existing) -> {
              Group x = existing == null ? new Group() : existing;
              x.snapshot = snapshot;
              return x;
            });
    g.bodies.values().removeIf(body -> body.source() != resources(snapshot, body));
    g.deltas
        .keySet()
        .removeIf(k -> k.resources() != snapshot.versionedResources(resourceType(k.type())));
    g.held.clear(); // streams keep theirs; this only makes equal new ones one
    for (AdsStream stream : g.streams) {
      stream.published(snapshot);
    }
  }

  /** The group is gone from the cache: bodies go; its streams wait for it to come back. */
  void cleared(String group) {
    groups.computeIfPresent(
        group,
        (k, g) -> {
          g.snapshot = null;
          g.bodies.clear();
          g.names.clear();
          g.deltas.clear();
          g.nameSets.clear();
          g.held.clear();
          return g.streams.isEmpty() ? null : g;
        });
  }

  /** Joins {@code stream} to {@code group}, then returns the group's snapshot, if it has one. */
  Optional<Snapshot> join(String group, AdsStream stream) {
    // Joined before reading: a publish in between either sees the stream or set what it reads.
    Group g =
        groups.compute(
            group,
            (k, existing) -> {
              Group x = existing == null ? new Group() : existing;
              x.streams.add(stream);
              return x;
            });
    return Optional.ofNullable(g.snapshot);
  }

  /**
   * {@code stream} ended. A group nobody serves and nobody is connected to goes: proxies may claim
   * any group name (an unknown one waits for the policy to define it), so the names seen must not
   * pile up.
   */
  void leave(String group, AdsStream stream) {
    groups.computeIfPresent(
        group,
        (k, g) -> {
          g.streams.remove(stream);
          return g.streams.isEmpty() && g.snapshot == null ? null : g;
        });
  }

  /** Response bodies held, all groups (for tests). */
  int bodies() {
    return groups.values().stream().mapToInt(g -> g.bodies.size()).sum();
  }

  /** Groups held: those with a snapshot or a stream (for tests). */
  int size() {
    return groups.size();
  }

  /**
   * One shared instance per distinct list of names a group's proxies ask for: every push compares
   * each open watch's names with the version resolver's last ones, and the same instance compares
   * at once, where equal lists compare name by name.
   */
  List<String> canonical(String group, List<String> names) {
    if (names.isEmpty()) {
      return List.of();
    }
    Group g = group(group);
    List<String> known = g.names.get(names);
    if (known != null) {
      return known;
    }
    if (g.names.size() >= MAX_NAME_LISTS) {
      g.names.clear();
    }
    List<String> copy = List.copyOf(names);
    known = g.names.putIfAbsent(copy, copy);
    return known == null ? copy : known;
  }

  /** The group's snapshot now. */
  Optional<Snapshot> snapshot(String group) {
    Group g = groups.get(group);
    return g == null ? Optional.empty() : Optional.ofNullable(g.snapshot);
  }

  /** The body answering {@code names} of {@code type} from {@code snapshot}, encoded once. */
  AdsBody body(String group, XdsType type, List<String> names, Snapshot snapshot) {
    Group g = group(group);
    Map<String, VersionedResource<?>> resources = snapshot.versionedResources(resourceType(type));
    AdsBody body = g.bodies.get(new BodyKey(type, names));
    if (body != null && body.source() == resources) {
      return body;
    }
    body = AdsBody.of(type, names, resources, snapshot.version(resourceType(type), names));
    if (g.snapshot == snapshot) {
      // Only bodies of the current snapshot are kept (a stream may still answer an older one).
      BodyKey key = new BodyKey(type, canonical(group, names));
      g.bodies.put(key, body);
      if (g.snapshot != snapshot) {
        g.bodies.remove(key, body); // a publish came in between: keep no old generation
      }
    }
    return body;
  }

  /** One shared instance per distinct set of names a group's delta proxies subscribe to. */
  Set<String> canonical(String group, Set<String> names) {
    if (names.isEmpty()) {
      return Set.of();
    }
    return shared(group(group).nameSets, Set.copyOf(names));
  }

  /**
   * One shared instance per distinct map of versions a group's delta proxies hold: proxies that
   * reconnect holding the same resources are then one state from their first request.
   */
  Map<String, String> canonicalHeld(String group, Map<String, String> held) {
    if (held.isEmpty()) {
      return Map.of();
    }
    return shared(group(group).held, Map.copyOf(held));
  }

  /**
   * What a delta stream subscribed to {@code names} (or all, {@code wildcard}) and holding {@code
   * held} is sent of {@code type} from {@code snapshot}: computed once per state and snapshot.
   */
  DeltaResponses.Answer delta(
      String group,
      XdsType type,
      boolean wildcard,
      Set<String> names,
      Map<String, String> held,
      Snapshot snapshot) {
    Group g = group(group);
    Map<String, VersionedResource<?>> resources = snapshot.versionedResources(resourceType(type));
    DeltaKey key = new DeltaKey(type, wildcard, names, held, resources);
    DeltaResponses.Answer answer = g.deltas.get(key);
    if (answer != null) {
      return answer;
    }
    answer =
        DeltaResponses.answer(
            type,
            wildcard,
            names,
            held,
            resources,
            snapshot.version(resourceType(type), List.of()));
    if (answer.changes()) {
      answer = answer.holding(shared(g.held, answer.held()));
    }
    if (g.snapshot == snapshot) {
      // As for bodies: only answers from the current snapshot are kept.
      if (g.deltas.size() >= MAX_DELTA_STATES) {
        g.deltas.clear();
      }
      g.deltas.put(key, answer);
      if (g.snapshot != snapshot) {
        g.deltas.remove(key, answer);
      }
    }
    return answer;
  }

  private static <T> T shared(ConcurrentMap<T, T> instances, T value) {
    if (instances.size() >= MAX_DELTA_STATES) {
      instances.clear();
    }
    T known = instances.putIfAbsent(value, value);
    return known == null ? value : known;
  }

  /** Delta answers held, all groups (for tests). */
  int deltaAnswers() {
    return groups.values().stream().mapToInt(g -> g.deltas.size()).sum();
  }

  private Group group(String group) {
    return groups.computeIfAbsent(group, g -> new Group());
  }

  private static Map<String, VersionedResource<?>> resources(Snapshot snapshot, AdsBody body) {
    return snapshot.versionedResources(resourceType(body.type()));
  }

  static ResourceType resourceType(XdsType type) {
    return switch (type) {
      case CLUSTERS -> ResourceType.CLUSTER;
      case ENDPOINTS -> ResourceType.ENDPOINT;
      case LISTENERS -> ResourceType.LISTENER;
      case ROUTES -> ResourceType.ROUTE;
      case SECRETS -> ResourceType.SECRET;
    };
  }
}
