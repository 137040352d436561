package dev.meshgate.xds;

import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.ProxyResources;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Holds a reload that would take most of the fleet down, as a policy with errors is held: an empty
 * policy (a truncated file, only a comment, the last {@code *.mesh} deleted) compiles cleanly to no
 * proxy group at all, and serving it removes every listener of every Envoy. A reload is held when
 * the new policy has no proxy group while the served one has some, or when it removes more than
 * {@code maxRemovedShare} of the served routes or clusters (and at least {@link #MIN_REMOVED} of
 * them, so that small policies can be edited freely). {@code allowRemoval} applies every reload.
 *
 * @param maxRemovedShare the largest share (0..1) of routes or of clusters one reload may remove
 * @param allowRemoval apply reloads however much they remove ({@code --allow-removal})
 */
public record RemovalGuard(double maxRemovedShare, boolean allowRemoval) {
  /** {@code --max-removal}'s default: a reload may remove up to half the routes and clusters. */
  public static final double DEFAULT_MAX_REMOVED_SHARE = 0.5;

  /** Removing fewer routes (or clusters) than this is never held by the share rule. */
  static final int MIN_REMOVED = 5;

  public static final RemovalGuard DEFAULT = new RemovalGuard(DEFAULT_MAX_REMOVED_SHARE, false);

  public RemovalGuard {
    if (!(maxRemovedShare >= 0 && maxRemovedShare <= 1)) {
      throw new IllegalArgumentException(
          "the share of removed routes must be 0..1 (0%..100%): " + maxRemovedShare);
    }
  }

  /** Why {@code next} must not replace {@code served}, if it must not. */
  Optional<String> holdReason(CompiledPolicy served, CompiledPolicy next) {
    if (allowRemoval || served.groups().isEmpty()) {
      return Optional.empty();
    }
    String override = "; if that is intended, restart the server with --allow-removal";
    if (next.groups().isEmpty()) {
      return Optional.of(
          "held: the new policy has no gateway or sidecar, so serving it would remove every"
              + " listener of all "
              + served.groups().size()
              + " proxy group(s); an empty, truncated or deleted policy file is usually a mistake"
              + override);
    }
    Replaced replaced = Replaced.between(served, next);
    Optional<String> routes = share("routes", served, replaced, RemovalGuard::routes);
    if (routes.isPresent()) {
      return routes.map(r -> r + override);
    }
    return share("clusters", served, replaced, g -> g.clusters().size()).map(r -> r + override);
  }

  private Optional<String> share(
      String what, CompiledPolicy served, Replaced replaced, ToIntFunction<ProxyResources> count) {
    int removed = replaced.removed(count);
    if (removed < MIN_REMOVED) {
      return Optional.empty();
    }
    int before = served.groups().stream().mapToInt(count).sum();
    if (removed <= before * maxRemovedShare) {
      return Optional.empty();
    }
    return Optional.of(
        "held: the new policy removes %d of %d %s (%d%%), more than the %d%% one reload may remove (--max-removal)"
            .formatted(
                removed,
                before,
                what,
                Math.round(100.0 * removed / before),
                Math.round(100 * maxRemovedShare)));
  }

  /**
   * The groups of the served policy not in the next one and the next one's not in the served, as
   * instances: the server's incremental compiler hands back an unchanged group as the same
   * instance, so an edit of one group counts one group's routes on each side, not every group's
   * (issue 17.1).
   */
  private record Replaced(List<ProxyResources> gone, List<ProxyResources> added) {
    static Replaced between(CompiledPolicy served, CompiledPolicy next) {
      return new Replaced(
          notIn(served.groups(), next.groups()), notIn(next.groups(), served.groups()));
    }

    /** How many more {@code count} the served policy has than the next. */
    int removed(ToIntFunction<ProxyResources> count) {
      return gone.stream().mapToInt(count).sum() - added.stream().mapToInt(count).sum();
    }

    private static List<ProxyResources> notIn(
        List<ProxyResources> groups, List<ProxyResources> others) {
      Set<ProxyResources> set = Collections.newSetFromMap(new IdentityHashMap<>(others.size()));
      set.addAll(others);
      return groups.stream().filter(g -> !set.contains(g)).toList();
    }
  }

  private static int routes(ProxyResources group) {
    int n = 0;
    for (RouteConfiguration config : group.routes()) {
      for (VirtualHost host : config.getVirtualHostsList()) {
        n += host.getRoutesCount();
      }
    }
    return n;
  }
}
