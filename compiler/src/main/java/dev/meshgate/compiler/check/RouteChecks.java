package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.DurationLit;
import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.NumberLit;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.ServiceStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.compiler.setting.Attachment;
import dev.meshgate.compiler.setting.Setting;
import dev.meshgate.compiler.setting.SettingChecks;
import dev.meshgate.compiler.setting.Settings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/** One route or call body: its action and its settings. */

/**
 * One route's match, and the statements of a route or call body: exactly one action per route,
 * once-only settings once, forward-only settings only with {@code to}, and each statement's own
 * checks by its unit ({@link Settings}).
 */
final class RouteChecks {
  private final CheckContext cx;
  private final Values values;

  RouteChecks(CheckContext cx) {
    this.cx = cx;
    this.values = new Values(cx);
  }

  void route(RouteDecl route) {
    route.alternatives().forEach(this::alternative);
    body(route);
  }

  private void alternative(RouteDecl.Alternative route) {
    Set<String> methods = new TreeSet<>();
    for (Name m : route.methods()) {
      if (!methods.add(m.text())) {
        cx.error(
            DUPLICATE_METHOD, m.span(), "method " + m.text() + " is listed twice in this route");
      }
    }
    switch (route.path()) {
      case RouteDecl.PathPattern.Literal l -> values.path(l, true);
      case RouteDecl.PathPattern.Regex r -> values.regex(r.regex());
    }
    for (RouteDecl.Condition c : route.conditions()) {
      if (c.kind() == RouteDecl.Condition.Kind.HEADER) {
        values.headerName(c.name());
      } else if (c.name().value().isEmpty()) {
        cx.error(
            INVALID_QUERY_NAME,
            c.name().span(),
            "query parameter name is empty; write the parameter's name, like \"q\"");
      }
      if (c.regex()) {
        values.regex(c.value());
      }
    }
  }

  private void body(RouteDecl route) {
    Body checked = body(Attachment.ROUTE, Optional.of(route), route.body(), true);
    Optional<RouteStmt> checkedAction = checked.action();
    if (checkedAction.isEmpty()) {
      if (cx.current.complete()) {
        cx.error(
            ROUTE_WITHOUT_ACTION,
            route.span(),
            "route has no action; add one of `to`, `redirect` or `respond`");
      }
    } else if (!(checkedAction.get() instanceof RouteStmt.To)) {
      RouteStmt action = checkedAction.get();
      for (RouteStmt s : route.body()) {
        if (Settings.of(s).role() == Setting.Role.FORWARDING) {
          cx.error(
              FORWARD_ONLY_SETTING,
              s.span(),
              "`"
                  + s.keyword()
                  + "` only applies to routes that forward with `to`, but this route uses `"
                  + action.keyword()
                  + "`");
        }
      }
    }
  }

  /**
   * The settings written on a gateway or a host: the defaults for its routes. A statement that
   * cannot sit there (an action, a rewrite, …) is reported; the rest are checked as in a route that
   * forwards.
   */
  void defaults(Attachment where, List<RouteStmt> stmts) {
    List<RouteStmt> allowed = new java.util.ArrayList<>();
    for (RouteStmt stmt : stmts) {
      Setting<?> unit = Settings.of(stmt);
      if (unit.attachments().contains(where)) {
        allowed.add(stmt);
        continue;
      }
      String places =
          unit.attachments().stream()
              .map(a -> "a " + a.keyword())
              .collect(java.util.stream.Collectors.joining(" or "));
      cx.error(
          SETTING_NOT_ALLOWED_HERE,
          stmt.span(),
          "`"
              + stmt.keyword()
              + "` cannot be written on a "
              + where.keyword()
              + ": it belongs on "
              + places
              + (unit.attachments().contains(Attachment.ROUTE)
                  ? "; move it into the routes that need it"
                  : ""));
    }
    body(where, Optional.empty(), allowed, true);
  }

  /** A checked body: its action (the first, if any) and the first of each once-only setting. */
  record Body(Optional<RouteStmt> action, Map<Class<?>, RouteStmt> firsts) {
    <T extends RouteStmt> Optional<T> first(Class<T> kind) {
      return Optional.ofNullable(firsts.get(kind)).map(kind::cast);
    }
  }

  /**
   * Checks a route's or call's statements. {@code forwards}: for a call, whether the callee speaks
   * HTTP (a route forwards when its action is {@code to}).
   */
  Body body(Attachment where, Optional<RouteDecl> route, List<RouteStmt> stmts, boolean forwards) {
    RouteStmt action = null;
    Map<String, RouteStmt> once = new HashMap<>();
    Map<Class<?>, RouteStmt> firsts = new HashMap<>();
    for (RouteStmt stmt : stmts) {
      firsts.putIfAbsent(stmt.getClass(), stmt);
      if (Settings.of(stmt).role() == Setting.Role.ACTION && action == null) {
        action = stmt;
      }
    }
    boolean forwarding = where == Attachment.ROUTE ? action instanceof RouteStmt.To : forwards;
    Scope scope = new Scope(where, route, forwarding, firsts, stmts);
    action = null;
    for (RouteStmt stmt : stmts) {
      Setting<?> unit = Settings.of(stmt);
      if (!unit.attachments().contains(where)) {
        continue; // the grammar admits no such statement here
      }
      switch (unit.role()) {
        case ACTION -> action = action(action, stmt);
        case FORWARDING, ONCE -> setting(once, stmt, where.keyword());
        case REPEATABLE -> {}
      }
      Settings.check(stmt, scope);
    }
    return new Body(Optional.ofNullable(action), firsts);
  }

  /** What a setting's checks see of the checker. */
  private final class Scope implements SettingChecks {
    private final Attachment where;
    private final Optional<RouteDecl> route;
    private final boolean forwards;
    private final Map<Class<?>, RouteStmt> firsts;
    private final List<RouteStmt> stmts;

    Scope(
        Attachment where,
        Optional<RouteDecl> route,
        boolean forwards,
        Map<Class<?>, RouteStmt> firsts,
        List<RouteStmt> stmts) {
      this.where = where;
      this.route = route;
      this.forwards = forwards;
      this.firsts = firsts;
      this.stmts = stmts;
    }

    @Override
    public <T extends RouteStmt> List<T> all(Class<T> kind) {
      return stmts.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    @Override
    public Attachment where() {
      return where;
    }

    @Override
    public Optional<RouteDecl> route() {
      return route;
    }

    @Override
    public boolean forwards() {
      return forwards;
    }

    @Override
    public <T extends RouteStmt> Optional<T> first(Class<T> kind) {
      return Optional.ofNullable(firsts.get(kind)).map(kind::cast);
    }

    @Override
    public boolean resolve(RouteStmt.Target target) {
      return RouteChecks.this.resolve(target);
    }

    @Override
    public List<ServiceStmt.Endpoint> staticEndpoints(RouteStmt.Target target) {
      var service = cx.services.get(target.service().text());
      if (service == null) {
        return List.of();
      }
      return service.body().stream()
          .filter(ServiceStmt.StaticSource.class::isInstance)
          .map(ServiceStmt.StaticSource.class::cast)
          .findFirst()
          .map(ServiceStmt.StaticSource::endpoints)
          .orElse(List.of());
    }

    @Override
    public String protocol(RouteStmt.Target target) {
      return cx.protocol(target.service().text());
    }

    @Override
    public void duration(DurationLit duration) {
      values.duration(duration);
    }

    @Override
    public void port(NumberLit port) {
      values.port(port);
    }

    @Override
    public void headerName(StringLit name) {
      values.headerName(name);
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

  private RouteStmt action(@Nullable RouteStmt first, RouteStmt next) {
    if (first == null) {
      return next;
    }
    cx.error(
        ROUTE_WITH_SEVERAL_ACTIONS,
        next.span(),
        "a route has exactly one action, but this one has `"
            + first.keyword()
            + "` at "
            + cx.at(first.span())
            + " and `"
            + next.keyword()
            + "` here; keep one");
    return first;
  }

  /** Records a once-only route setting; reports and returns false when it is a repeat. */
  boolean setting(Map<String, RouteStmt> settings, RouteStmt stmt, String where) {
    RouteStmt before = settings.putIfAbsent(stmt.keyword(), stmt);
    if (before != null) {
      cx.error(
          DUPLICATE_ROUTE_SETTING,
          stmt.span(),
          "duplicate `"
              + stmt.keyword()
              + "` in this "
              + where
              + "; the first is at "
              + cx.at(before.span()));
      return false;
    }
    return true;
  }

  /** Resolves a target; reports and returns false when its service or subset does not exist. */
  boolean resolve(RouteStmt.Target t) {
    String service = t.service().text();
    if (!cx.services.containsKey(service)) {
      String known = cx.knownServices(service);
      cx.error(
          UNKNOWN_SERVICE, t.service().span(), "unknown service \"" + service + "\"; " + known);
      return false;
    }
    if (cx.isTcp(service)) {
      cx.error(
          ROUTE_TO_TCP_SERVICE,
          t.service().span(),
          "service \""
              + service
              + "\" speaks `protocol tcp`, but a gateway route sends HTTP requests; route to an HTTP"
              + " service, or declare \""
              + service
              + "\" with another protocol");
    }
    if (t.subset().isPresent()) {
      Name subset = t.subset().get();
      Map<String, ServiceStmt.SubsetStmt> own = cx.subsets.getOrDefault(service, Map.of());
      if (!own.containsKey(subset.text())) {
        String known =
            NearestNames.hint(subset.text(), NearestNames.Kind.owned("subsets", own.keySet()));
        cx.error(
            UNKNOWN_SUBSET,
            subset.span(),
            "unknown subset \"" + subset.text() + "\" of service \"" + service + "\"; " + known);
        return false;
      }
      List<ServiceStmt.Endpoint> endpoints = cx.staticEndpoints.get(service);
      if (endpoints != null && !ServiceChecks.selectsAny(own.get(subset.text()), endpoints)) {
        cx.error(
            TARGET_SUBSET_EMPTY,
            t.span(),
            "\""
                + t.cluster()
                + "\" has no endpoint: subset \""
                + subset.text()
                + "\" ("
                + cx.at(own.get(subset.text()).span())
                + ") selects none of the static endpoints of service \""
                + service
                + "\", so every request sent there fails with 503; fix the subset's `where` or the endpoints' labels");
      }
    }
    return true;
  }
}
