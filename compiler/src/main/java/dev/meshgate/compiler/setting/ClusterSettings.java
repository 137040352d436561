package dev.meshgate.compiler.setting;

import dev.meshgate.compiler.ast.ClusterStmt;
import dev.meshgate.compiler.ir.ClusterSettingsIr;
import dev.meshgate.compiler.ir.Protocol;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every cluster setting unit (issue 14), and the one way the stages reach them. */
public final class ClusterSettings {
  private ClusterSettings() {}

  /** The units, one per statement kind; a new cluster setting is added here. */
  public static final List<ClusterSetting<?>> ALL =
      List.of(
          new CircuitBreakers(),
          new OutlierDetections(),
          new HealthChecks(),
          new PanicThresholds(),
          new LoadBalancers(),
          new SlowStarts());

  private static final Map<Class<?>, ClusterSetting<?>> BY_NODE =
      ALL.stream().collect(Collectors.toUnmodifiableMap(ClusterSetting::node, Function.identity()));

  /** The unit of a statement. */
  public static ClusterSetting<?> of(ClusterStmt stmt) {
    ClusterSetting<?> unit = BY_NODE.get(stmt.getClass());
    if (unit == null) {
      throw new IllegalStateException("no cluster setting unit for " + stmt.getClass().getName());
    }
    return unit;
  }

  /**
   * Whether Envoy cannot ramp up new endpoints ({@code slow-start}) with this load balancer; an
   * unknown kind (reported by its unit) counts as one that can.
   */
  public static boolean cannotRampUp(ClusterStmt.LoadBalancer stmt) {
    return LoadBalancers.kind(stmt).map(k -> !k.rampsUp()).orElse(false);
  }

  /** Runs the unit's checks on a statement. */
  public static void check(ClusterStmt stmt, ClusterChecks checks) {
    checkWith(of(stmt), stmt, checks);
  }

  /** Lowers a service's checked cluster statements; the first of each kind counts. */
  public static ClusterSettingsIr lower(List<ClusterStmt> stmts, Protocol protocol) {
    ClusterParts parts = new ClusterParts(protocol);
    Set<Class<?>> seen = new HashSet<>();
    for (ClusterStmt stmt : stmts) {
      if (seen.add(stmt.getClass())) {
        lowerWith(of(stmt), stmt, parts);
      }
    }
    return parts.toIr();
  }

  private static <S extends ClusterStmt> void checkWith(
      ClusterSetting<S> unit, ClusterStmt stmt, ClusterChecks checks) {
    unit.check(unit.node().cast(stmt), checks);
  }

  private static <S extends ClusterStmt> void lowerWith(
      ClusterSetting<S> unit, ClusterStmt stmt, ClusterParts parts) {
    unit.lower(unit.node().cast(stmt), parts);
  }
}
