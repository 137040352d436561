package dev.meshgate.compiler.setting;

import dev.meshgate.compiler.ast.ClusterStmt;
import dev.meshgate.compiler.ir.LoadBalancerIr;
import dev.meshgate.compiler.setting.ClusterFields.Spec;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code load-balancer round-robin | least-request { choice-count 2 } | random | ring-hash {
 * min-ring-size 1024 max-ring-size 8388608 } | maglev}: how every caller's Envoy picks one of the
 * service's endpoints. Routes and calls say what a hashing balancer hashes ({@code hash-by}).
 */
final class LoadBalancers implements ClusterSetting<ClusterStmt.LoadBalancer> {
  /** Envoy's defaults. */
  static final long DEFAULT_CHOICE_COUNT = 2;

  static final long DEFAULT_MIN_RING = 1024;
  static final long DEFAULT_MAX_RING = 8L * 1024 * 1024;

  /** Envoy's largest ring (RingHash.maximum_ring_size le 8M). */
  static final long MAX_RING = 8L * 1024 * 1024;

  private static final List<Spec> LEAST_REQUEST = List.of(Spec.count("choice-count", 2));
  private static final List<Spec> RING_HASH =
      List.of(Spec.count("min-ring-size", 1), Spec.count("max-ring-size", 1));

  @Override
  public Class<ClusterStmt.LoadBalancer> node() {
    return ClusterStmt.LoadBalancer.class;
  }

  static Optional<LoadBalancerIr.Kind> kind(ClusterStmt.LoadBalancer stmt) {
    return Arrays.stream(LoadBalancerIr.Kind.values())
        .filter(k -> k.word.equals(stmt.kind().text()))
        .findFirst();
  }

  @Override
  public void check(ClusterStmt.LoadBalancer stmt, ClusterChecks checks) {
    Optional<LoadBalancerIr.Kind> kind = kind(stmt);
    if (kind.isEmpty()) {
      checks.error(
          SettingCodes.UNKNOWN_LOAD_BALANCER,
          stmt.kind().span(),
          "unknown load balancer \""
              + stmt.kind().text()
              + "\"; "
              + checks.hint(
                  stmt.kind().text(),
                  Arrays.stream(LoadBalancerIr.Kind.values()).map(k -> k.word).toList()));
      return;
    }
    String keyword = "load-balancer " + kind.get().word;
    List<Spec> specs =
        switch (kind.get()) {
          case LEAST_REQUEST -> LEAST_REQUEST;
          case RING_HASH -> RING_HASH;
          case ROUND_ROBIN, RANDOM, MAGLEV -> List.of();
        };
    ClusterFields.check(keyword, stmt.fields(), specs, checks);
    if (kind.get() == LoadBalancerIr.Kind.RING_HASH) {
      ringSizes(stmt, checks);
    }
  }

  /** Envoy rejects a ring over 8M entries or a minimum above the maximum. */
  private static void ringSizes(ClusterStmt.LoadBalancer stmt, ClusterChecks checks) {
    ClusterFields fields = ClusterFields.of(stmt.fields());
    long min = fields.count("min-ring-size", DEFAULT_MIN_RING);
    long max = fields.count("max-ring-size", DEFAULT_MAX_RING);
    for (String name : List.of("min-ring-size", "max-ring-size")) {
      long value = fields.count(name, 0);
      if (value > MAX_RING) {
        checks.error(
            SettingCodes.RING_SIZE,
            fields.field(name).orElseThrow().span(),
            name + " " + value + " is over Envoy's largest ring, " + MAX_RING + " (8M)");
      }
    }
    if (min > max && min <= MAX_RING) {
      checks.error(
          SettingCodes.RING_SIZE,
          fields
              .field("min-ring-size")
              .or(() -> fields.field("max-ring-size"))
              .orElseThrow()
              .span(),
          "min-ring-size " + min + " is above max-ring-size " + max + "; Envoy would reject it");
    }
  }

  @Override
  public void lower(ClusterStmt.LoadBalancer stmt, ClusterParts parts) {
    kind(stmt)
        .ifPresent(
            kind -> {
              ClusterFields fields = ClusterFields.of(stmt.fields());
              parts.loadBalancer =
                  Optional.of(
                      new LoadBalancerIr(
                          kind,
                          fields.count("choice-count", DEFAULT_CHOICE_COUNT),
                          fields.count("min-ring-size", DEFAULT_MIN_RING),
                          fields.count("max-ring-size", DEFAULT_MAX_RING)));
            });
  }
}
