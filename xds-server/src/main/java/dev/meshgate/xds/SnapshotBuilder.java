package dev.meshgate.xds;

import com.google.common.collect.Interner;
import com.google.common.collect.Interners;
import com.google.common.collect.MapMaker;
import dev.meshgate.compiler.ClusterEndpoints;
import dev.meshgate.discovery.Endpoint;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/** Turns a group's compiled resources plus catalog endpoints into a versioned snapshot. */
final class SnapshotBuilder {
  /**
   * Every group that calls a service gets an equal load assignment for it (about ten per service in
   * a realistic mesh), built per group. Interned, the groups share one instance, and with it its
   * packed bytes ({@link PackedResources} is keyed by identity): the copies were about a tenth of
   * an idle server's heap at 1,000 groups. Weak: an assignment no snapshot holds goes.
   */
  private static final Interner<ClusterLoadAssignment> ASSIGNMENTS = Interners.newWeakInterner();

  /**
   * The load assignments made from one catalog endpoint list, by what was wanted of it. An edit of
   * every group rebuilds every group's snapshot, and each made its assignments again from endpoints
   * that had not changed (about ten per group, each sorted, built, then compared with the interned
   * one field by field); with the re-hashing of reused resources ({@link PackedResources}), a fifth
   * of the publisher's CPU per edit at 1,000 groups (docs/benchmarks.md). Keyed by the list's
   * identity, weakly (the publisher replaces a service's list whenever its endpoints change, and
   * the entry goes with the old list); at most {@link #MADE_PER_LIST} per list, so wants that no
   * policy has any more do not pile up.
   */
  private static final ConcurrentMap<List<Endpoint>, Map<ClusterEndpoints, ClusterLoadAssignment>>
      MADE = new MapMaker().weakKeys().makeMap();

  static final int MADE_PER_LIST = 64;

  private SnapshotBuilder() {}

  /**
   * The group's snapshot. {@code endpointsOf} gives a service's current catalog endpoints (an empty
   * list when the catalog has not answered yet).
   */
  static GroupSnapshot build(PreparedGroup group, Function<String, List<Endpoint>> endpointsOf) {
    return build(group, endpointsOf, TypedResources.of(List.of()));
  }

  /** As {@link #build(PreparedGroup, Function)}, serving {@code secrets} over SDS. */
  static GroupSnapshot build(
      PreparedGroup group,
      Function<String, List<Endpoint>> endpointsOf,
      TypedResources<Secret> secrets) {
    Map<String, ClusterLoadAssignment> assignments = new TreeMap<>();
    for (ClusterEndpoints wanted : group.endpoints()) {
      assignments.put(wanted.cluster(), assignment(wanted, endpointsOf.apply(wanted.service())));
    }
    // Envoy waits for the endpoints of every EDS cluster before it warms up, and over ADS
    // java-control-plane answers an EDS request only when every named cluster is in the
    // snapshot: an EDS cluster the compiler gave no endpoint selection gets an empty one.
    for (var cluster : group.clusters().byName().values()) {
      Cluster c = cluster.resource();
      if (c.getType() == Cluster.DiscoveryType.EDS) {
        String name = edsName(c);
        assignments.computeIfAbsent(
            name,
            n -> ASSIGNMENTS.intern(ClusterLoadAssignment.newBuilder().setClusterName(n).build()));
      }
    }
    TypedResources<ClusterLoadAssignment> endpoints =
        TypedResources.of(new ArrayList<>(assignments.values()));
    var versions =
        new TypeVersions(
            group.clusters().version(),
            endpoints.version(),
            group.listeners().version(),
            group.routes().version(),
            secrets.byName().isEmpty() ? "" : secrets.version());
    return new GroupSnapshot(
        group.key(),
        versions,
        new MeshSnapshot(group.clusters(), endpoints, group.listeners(), group.routes(), secrets));
  }

  /** {@link #loadAssignment}, interned, made once per endpoint list instance and want. */
  private static ClusterLoadAssignment assignment(
      ClusterEndpoints wanted, List<Endpoint> endpoints) {
    if (endpoints.isEmpty()) {
      // List.of() is one instance for every service without endpoints: never a key here.
      return ASSIGNMENTS.intern(loadAssignment(wanted, endpoints));
    }
    Map<ClusterEndpoints, ClusterLoadAssignment> made =
        MADE.computeIfAbsent(endpoints, list -> new ConcurrentHashMap<>());
    ClusterLoadAssignment assignment = made.get(wanted);
    if (assignment == null) {
      if (made.size() >= MADE_PER_LIST) {
        made.clear();
      }
      assignment = ASSIGNMENTS.intern(loadAssignment(wanted, endpoints));
      made.put(wanted, assignment);
    }
    return assignment;
  }

  /** What a group that is no longer in the policy is served: nothing. */
  static GroupSnapshot empty(String key) {
    return build(
        new PreparedGroup(
            key,
            TypedResources.of(List.of()),
            TypedResources.of(List.of()),
            TypedResources.of(List.of()),
            List.of()),
        service -> List.of());
  }

  /**
   * The healthy endpoints of the service that carry every selector label, one locality per zone
   * (zone-less endpoints in a locality without zone), in a stable order. When the proxy names its
   * own zone ({@code wanted.localZone()}) and the service has healthy endpoints there, those get
   * priority 0 and every other locality priority 1: Envoy sends everything to the local zone and
   * fails over to the others as its endpoints turn unhealthy (health checks, outlier detection).
   */
  static ClusterLoadAssignment loadAssignment(ClusterEndpoints wanted, List<Endpoint> endpoints) {
    Map<String, List<Endpoint>> byZone = new TreeMap<>();
    endpoints.stream()
        .filter(Endpoint::healthy)
        .filter(e -> e.matches(wanted.selector()))
        .sorted(Endpoint.ORDER)
        .forEach(e -> byZone.computeIfAbsent(e.zone().orElse(""), z -> new ArrayList<>()).add(e));
    ClusterLoadAssignment.Builder cla =
        ClusterLoadAssignment.newBuilder().setClusterName(wanted.cluster());
    boolean local =
        wanted.localZone().filter(z -> !z.isEmpty()).filter(byZone::containsKey).isPresent();
    byZone.forEach((zone, members) -> {
      LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
      if (local && !wanted.localZone().get().equals(zone)) {
        locality.setPriority(1);
      }
      if (!zone.isEmpty()) {
        locality.setLocality(Locality.newBuilder().setZone(zone));
      }
      for (Endpoint e : members) {
        var endpoint =
            io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
                .setAddress(
                    Address.newBuilder()
                        .setSocketAddress(
                            SocketAddress.newBuilder()
                                .setAddress(e.host())
                                .setPortValue(e.port())));
        // What a route's auto_host_rewrite sends as Host. Envoy also uses it as the Host of an
        // HTTP health check whose `host` is empty; ours always set it (see HealthChecks).
        e.hostname().ifPresent(endpoint::setHostname);
        locality.addLbEndpoints(
            LbEndpoint.newBuilder().setHealthStatus(HealthStatus.HEALTHY).setEndpoint(endpoint));
      }
      cla.addEndpoints(locality);
    });
    return cla.build();
  }

  private static String edsName(Cluster cluster) {
    String serviceName = cluster.getEdsClusterConfig().getServiceName();
    return serviceName.isEmpty() ? cluster.getName() : serviceName;
  }
}
