package dev.meshgate.compiler.check;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.ClusterStmt;
import dev.meshgate.compiler.ast.DurationLit;
import dev.meshgate.compiler.setting.ClusterChecks;
import dev.meshgate.compiler.setting.ClusterSettings;
import dev.meshgate.compiler.setting.SettingCodes;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A service's cluster settings (issue 14): each statement at most once, then its unit's checks
 * ({@link ClusterSettings}).
 */
final class ClusterSettingChecks {
  private final CheckContext cx;
  private final Values values;

  ClusterSettingChecks(CheckContext cx) {
    this.cx = cx;
    this.values = new Values(cx);
  }

  void check(String service, List<ClusterStmt> stmts) {
    Map<Class<?>, ClusterStmt> first = new HashMap<>();
    Place place = new Place(service, stmts);
    for (ClusterStmt stmt : stmts) {
      ClusterStmt before = first.putIfAbsent(stmt.getClass(), stmt);
      if (before != null) {
        cx.error(
            Codes.DUPLICATE_SERVICE_SETTING,
            stmt.span(),
            "service \""
                + service
                + "\" has more than one `"
                + stmt.keyword()
                + "`; the first is at "
                + cx.at(before.span()));
        continue;
      }
      ClusterSettings.check(stmt, place);
    }
  }

  /**
   * Cluster settings written below a service (a subset's, a call's): each statement at most once in
   * its block, checked as the service's would be, seeing the service's statements where the block
   * writes none (each statement replaces the service's of its kind whole). {@code place} names the
   * block in messages: {@code subset "v2" of service "catalog"}, {@code call orders -> catalog}.
   */
  void override(
      String place, String service, List<ClusterStmt> stmts, List<ClusterStmt> inherited) {
    Map<Class<?>, ClusterStmt> first = new HashMap<>();
    List<ClusterStmt> seen = new java.util.ArrayList<>(stmts);
    seen.addAll(inherited);
    Place checks = new Place(service, seen);
    for (ClusterStmt stmt : stmts) {
      ClusterStmt before = first.putIfAbsent(stmt.getClass(), stmt);
      if (before != null) {
        cx.error(
            SettingCodes.DUPLICATE_OVERRIDE_SETTING,
            stmt.span(),
            place
                + " has more than one `"
                + stmt.keyword()
                + "`; the first is at "
                + cx.at(before.span()));
        continue;
      }
      ClusterSettings.check(stmt, checks);
    }
    // A slow-start the block takes from the service, with a load balancer of its own that
    // cannot ramp: Envoy would drop the slow-start silently.
    if (first.containsKey(ClusterStmt.SlowStart.class)) {
      return;
    }
    Optional<ClusterStmt.SlowStart> slowStart =
        checks.first(ClusterStmt.SlowStart.class).filter(inherited::contains);
    if (first.get(ClusterStmt.LoadBalancer.class) instanceof ClusterStmt.LoadBalancer lb
        && slowStart.isPresent()
        && ClusterSettings.cannotRampUp(lb)) {
      cx.error(
          SettingCodes.OVERRIDE_CANNOT_RAMP,
          lb.span(),
          place
              + " balances with load-balancer "
              + lb.kind().text()
              + ", which Envoy cannot ramp up, but it takes the slow-start of service \""
              + service
              + "\" ("
              + cx.at(slowStart.get().span())
              + "); use round-robin or least-request here, or move the slow-start into the"
              + " subsets and calls that balance with them");
    }
  }

  /** The cluster statements written on a service itself. */
  static List<ClusterStmt> of(dev.meshgate.compiler.ast.ServiceDecl service) {
    return service.body().stream()
        .filter(dev.meshgate.compiler.ast.ServiceStmt.ClusterSetting.class::isInstance)
        .map(s -> ((dev.meshgate.compiler.ast.ServiceStmt.ClusterSetting) s).stmt())
        .toList();
  }

  private final class Place implements ClusterChecks {
    private final String service;
    private final List<ClusterStmt> stmts;

    Place(String service, List<ClusterStmt> stmts) {
      this.service = service;
      this.stmts = stmts;
    }

    @Override
    public <T extends ClusterStmt> Optional<T> first(Class<T> kind) {
      return stmts.stream().filter(kind::isInstance).map(kind::cast).findFirst();
    }

    @Override
    public String service() {
      return service;
    }

    @Override
    public String protocol() {
      return cx.protocol(service);
    }

    @Override
    public void duration(DurationLit duration) {
      values.duration(duration);
    }

    @Override
    public String hint(String name, Collection<String> known) {
      List<String> near = NearestNames.nearest(name, known);
      return near.isEmpty()
          ? "it takes " + String.join(", ", known)
          : "did you mean "
              + String.join(" or ", near.stream().map(n -> "\"" + n + "\"").toList())
              + "?";
    }

    @Override
    public String at(Span span) {
      return cx.at(span);
    }

    @Override
    public void error(String code, Span span, String message) {
      cx.error(code, span, message);
    }

    @Override
    public void warning(String code, Span span, String message) {
      cx.warning(code, span, message);
    }
  }
}
