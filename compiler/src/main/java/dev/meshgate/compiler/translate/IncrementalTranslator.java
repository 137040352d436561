package dev.meshgate.compiler.translate;

import dev.meshgate.compiler.ProxyResources;
import dev.meshgate.compiler.ir.ClusterIr;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.PolicyIr;
import dev.meshgate.compiler.ir.ServiceIr;
import dev.meshgate.compiler.ir.ServiceSource;
import dev.meshgate.compiler.ir.SidecarIr;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Translates one policy after another, and hands back the previous translation's {@link
 * ProxyResources} (the very instances) for every group whose inputs did not change (issue 17.1).
 *
 * <p>A group's resources are a function of its {@link GatewayIr} or {@link SidecarIr} and of the
 * sources of the services its clusters resolve (nothing else: translation reads no files and no
 * clock), so an equal input gives equal output, and reusing the old output changes only the cost.
 * An edit of one service in a mesh of a thousand then translates the groups it touches, not a
 * thousand; and the server, seeing the same instance, skips hashing the group again. Comparing
 * records is a walk of the IR without building anything, far cheaper than translating it.
 *
 * <p>It keeps only the latest translation's groups. Thread-safe: translations are serialised.
 */
public final class IncrementalTranslator {
  private record Translated<T>(T ir, List<ServiceSource> sources, ProxyResources resources) {}

  private Map<String, Translated<GatewayIr>> gateways = Map.of();
  private Map<String, Translated<SidecarIr>> sidecars = Map.of();

  /**
   * The clusters the last translation built or reused, by IR: a group translated anew (its routes
   * changed, say) gets the very cluster instances of the last translation where their IR is equal,
   * so neither the translator builds them nor the server writes and hashes them again (an edit of
   * every call's timeout in a mesh of 1,000 services: 1,000 clusters, every group translated).
   */
  private Map<ClusterIr, Cluster> clusters = Map.of();

  private long reused;

  /** {@link EnvoyTranslator#translate(PolicyIr)}, reusing the groups whose inputs are unchanged. */
  public synchronized List<ProxyResources> translate(PolicyIr ir) {
    Map<String, Translated<GatewayIr>> nextGateways = new HashMap<>();
    Map<String, Translated<SidecarIr>> nextSidecars = new HashMap<>();
    Map<ClusterIr, Cluster> nextClusters = new HashMap<>();
    List<ProxyResources> groups =
        EnvoyTranslator.translate(
            ir,
            new EnvoyTranslator.GroupMemo() {
              @Override
              public ProxyResources gateway(
                  GatewayIr g, Map<String, ServiceIr> services, Supplier<ProxyResources> fresh) {
                return reuse(gateways, nextGateways, g.name(), g, g.clusters(), services, fresh);
              }

              @Override
              public ProxyResources sidecar(
                  SidecarIr s, Map<String, ServiceIr> services, Supplier<ProxyResources> fresh) {
                return reuse(sidecars, nextSidecars, s.service(), s, s.clusters(), services, fresh);
              }

              @Override
              public Cluster cluster(ClusterIr ir, Function<ClusterIr, Cluster> build) {
                Cluster before = clusters.get(ir);
                Cluster cluster = before != null ? before : build.apply(ir);
                nextClusters.put(ir, cluster);
                return cluster;
              }
            });
    gateways = nextGateways;
    sidecars = nextSidecars;
    // Clusters of reused groups are not asked for again; they stay in the reused groups, and an
    // edit that translates such a group later builds its clusters once more.
    clusters = nextClusters;
    return groups;
  }

  /** Groups handed back unchanged since this translator was made (for tests and diagnosis). */
  public synchronized long reused() {
    return reused;
  }

  private <T> ProxyResources reuse(
      Map<String, Translated<T>> previous,
      Map<String, Translated<T>> next,
      String name,
      T ir,
      List<ClusterIr> clusters,
      Map<String, ServiceIr> services,
      Supplier<ProxyResources> fresh) {
    List<ServiceSource> sources = new java.util.ArrayList<>(clusters.size());
    for (ClusterIr cluster : clusters) {
      ServiceIr service = services.get(cluster.service());
      if (service == null) {
        return fresh.get(); // translation says what is wrong (a compiler bug)
      }
      sources.add(service.source());
    }
    Translated<T> before = previous.get(name);
    Translated<T> now;
    if (before != null && before.ir().equals(ir) && before.sources().equals(sources)) {
      reused++;
      // Keep the new (equal) IR, not the old one: the served policy holds the new, and holding
      // the old as well kept a second copy of every unchanged group's IR alive.
      now = new Translated<>(ir, sources, before.resources());
    } else {
      now = new Translated<>(ir, sources, fresh.get());
    }
    next.put(name, now);
    return now.resources();
  }
}
