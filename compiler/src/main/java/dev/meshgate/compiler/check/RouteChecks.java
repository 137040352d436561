package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.ast.DurationLit;
import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.NumberLit;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.ServiceStmt;
import dev.meshgate.compiler.ast.StringLit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** One route or call body: its action and its settings. */
final class RouteChecks {
  private final CheckContext cx;
  private final Values values;

  RouteChecks(CheckContext cx) {
    this.cx = cx;
    this.values = new Values(cx);
  }

  /** Retry conditions, named as Envoy's retry_on names them. */
  public static final List<String> RETRY_CONDITIONS =
      List.of(
          "5xx", "gateway-error", "reset", "connect-failure", "retriable-4xx", "refused-stream");

  private static final Set<Integer> REDIRECT_STATUSES = Set.of(301, 302, 303, 307, 308);

  /** What Envoy uses when a route sets no timeout. */
  public static final Duration ENVOY_DEFAULT_TIMEOUT = Duration.ofSeconds(15);

  void route(RouteDecl route) {
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

    RouteStmt action = null;
    Map<String, RouteStmt> settings = new HashMap<>();
    List<RouteStmt> forwardOnly = new ArrayList<>();
    RouteStmt.Timeout timeout = null;
    RouteStmt.Retry retry = null;
    for (RouteStmt stmt : route.body()) {
      switch (stmt) {
        case RouteStmt.To to -> {
          action = action(action, to);
          targets(to);
        }
        case RouteStmt.Redirect r -> {
          action = action(action, r);
          if (!REDIRECT_STATUSES.contains((int) Math.min(r.status().value(), Integer.MAX_VALUE))) {
            cx.error(
                REDIRECT_STATUS,
                r.status().span(),
                "redirect status "
                    + r.status().text()
                    + " is not a redirect; use 301, 302, 303, 307 or 308");
          }
          String loc = r.location().value();
          if (!(loc.startsWith("/") || loc.startsWith("http://") || loc.startsWith("https://"))
              || loc.contains(" ")) {
            cx.error(
                INVALID_REDIRECT_LOCATION,
                r.location().span(),
                "redirect location \""
                    + loc
                    + "\" must be a path like \"/new/\" or a URL like \"https://example.com/new/\"");
          }
        }
        case RouteStmt.Respond r -> {
          action = action(action, r);
          if (r.status().value() < 200 || r.status().value() > 599) {
            cx.error(
                RESPOND_STATUS,
                r.status().span(),
                "respond status "
                    + r.status().text()
                    + " is out of range; use a status from 200 to 599");
          }
        }
        case RouteStmt.Timeout t -> {
          forwardOnly.add(t);
          if (setting(settings, t, "route")) {
            timeout = t;
          }
          values.duration(t.duration());
        }
        case RouteStmt.Retry r -> {
          forwardOnly.add(r);
          if (setting(settings, r, "route")) {
            retry = r;
          }
          retry(r);
        }
        case RouteStmt.Rewrite r -> {
          forwardOnly.add(r);
          setting(settings, r, "route");
          rewrite(route, r);
        }
        case RouteStmt.HeaderChange h -> {
          String n = h.name().value();
          if (n.equals("host") || n.startsWith(":")) {
            cx.error(
                RESERVED_HEADER,
                h.name().span(),
                "header \""
                    + n
                    + "\" cannot be changed by a route: Envoy rejects changes to host and to ':' pseudo-headers");
          } else {
            values.headerName(h.name());
          }
        }
        case RouteStmt.Port p -> {} // call-only: the grammar has no `port` in routes
      }
    }
    if (action == null) {
      if (cx.current.complete()) {
        cx.error(
            ROUTE_WITHOUT_ACTION,
            route.span(),
            "route has no action; add one of `to`, `redirect` or `respond`");
      }
    } else if (!(action instanceof RouteStmt.To)) {
      for (RouteStmt s : forwardOnly) {
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
    if (retry != null && action instanceof RouteStmt.To) {
      retryBudget(retry, timeout, "route");
    }
  }

  RouteStmt action(RouteStmt first, RouteStmt next) {
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

  void targets(RouteStmt.To to) {
    Map<String, RouteStmt.Target> seen = new HashMap<>();
    boolean resolvable = true;
    for (RouteStmt.Target t : to.targets()) {
      resolvable &= resolve(t);
      RouteStmt.Target before = seen.putIfAbsent(t.cluster(), t);
      if (before != null) {
        cx.error(
            DUPLICATE_TARGET,
            t.span(),
            "\"" + t.cluster() + "\" is a target twice in this `to`; give it one combined weight");
      }
    }
    boolean several = to.targets().size() > 1;
    boolean missing = false;
    long sum = 0;
    for (RouteStmt.Target t : to.targets()) {
      if (t.weight().isEmpty()) {
        if (several) {
          missing = true;
          cx.error(
              WEIGHT_MISSING,
              t.span(),
              "target \""
                  + t.cluster()
                  + "\" has no weight; when `to` has several targets each needs one, like "
                  + t.cluster()
                  + " 10%");
        } else {
          sum += 100;
        }
        continue;
      }
      NumberLit w = t.weight().get();
      sum = Math.min(sum + w.value(), Long.MAX_VALUE / 2);
      if (w.value() == 0) {
        cx.error(
            WEIGHT_ZERO,
            w.span(),
            "weight 0% sends no traffic to \"" + t.cluster() + "\"; remove the target instead");
      }
    }
    if (!missing && sum != 100) {
      cx.error(WEIGHTS_SUM, to.span(), "weights sum to " + sum + "%, but must sum to 100%");
    }
  }

  /** Resolves a target; reports and returns false when its service or subset does not exist. */
  boolean resolve(RouteStmt.Target t) {
    String service = t.service().text();
    if (!cx.services.containsKey(service)) {
      String known =
          cx.services.isEmpty()
              ? "no services are declared"
              : "declared services: " + String.join(", ", new TreeSet<>(cx.services.keySet()));
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
            own.isEmpty()
                ? "it declares no subsets"
                : "its subsets: " + String.join(", ", new TreeSet<>(own.keySet()));
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

  void retry(RouteStmt.Retry r) {
    if (r.attempts().value() < 1 || r.attempts().value() > 10) {
      cx.error(
          RETRY_ATTEMPTS,
          r.attempts().span(),
          "retry attempts must be from 1 to 10, found " + r.attempts().text());
    }
    Set<String> seen = new TreeSet<>();
    for (Name c : r.on()) {
      if (!RETRY_CONDITIONS.contains(c.text())) {
        cx.error(
            UNKNOWN_RETRY_CONDITION,
            c.span(),
            "unknown retry condition \""
                + c.text()
                + "\"; valid conditions: "
                + String.join(", ", RETRY_CONDITIONS));
      } else if (!seen.add(c.text())) {
        cx.error(
            UNKNOWN_RETRY_CONDITION,
            c.span(),
            "retry condition \"" + c.text() + "\" is listed twice");
      }
    }
    r.perTry().ifPresent(values::duration);
  }

  void retryBudget(RouteStmt.Retry retry, RouteStmt.Timeout timeout, String where) {
    Optional<Duration> perTry = retry.perTry().flatMap(DurationLit::value);
    if (perTry.isEmpty()
        || perTry.get().isZero()
        || retry.attempts().value() < 1
        || retry.attempts().value() > 10) {
      return;
    }
    // The first try and every retry may each use the whole per-try timeout.
    long tries = retry.attempts().value() + 1;
    Duration total = perTry.get().multipliedBy(tries);
    Optional<Duration> explicit = timeout == null ? Optional.empty() : timeout.duration().value();
    if (timeout != null && (explicit.isEmpty() || explicit.get().isZero())) {
      return;
    }
    Duration limit = explicit.orElse(ENVOY_DEFAULT_TIMEOUT);
    if (total.compareTo(limit) > 0) {
      String which =
          timeout == null
              ? "Envoy's default route timeout of 15s"
              : ("the " + where + " timeout of ") + timeout.duration().text();
      cx.warning(
          RETRIES_EXCEED_TIMEOUT,
          retry.span(),
          "the first try and "
              + retry.attempts().text()
              + (tries == 2 ? " retry" : " retries")
              + " can take "
              + tries
              + " × "
              + retry.perTry().get().text()
              + " = "
              + Values.format(total)
              + ", longer than "
              + which
              + ", so "
              + (tries == 2 ? "the retry" : "the last retries")
              + " would be cut off; lower `per-try` or the"
              + " number of retries, or raise the timeout");
    }
  }

  void rewrite(RouteDecl route, RouteStmt.Rewrite r) {
    for (StringLit s : List.of(r.from(), r.to())) {
      if (!s.value().startsWith("/")) {
        cx.error(
            INVALID_REWRITE,
            s.span(),
            "rewrite prefixes are paths and must start with '/', found \"" + s.value() + "\"");
        return;
      }
    }
    if (route.path() instanceof RouteDecl.PathPattern.Literal l) {
      String from = r.from().value();
      boolean possible;
      if (l.text().endsWith("/**")) {
        String prefix = l.text().substring(0, l.text().length() - 3);
        possible = from.startsWith(prefix) || (prefix + "/").startsWith(from);
      } else {
        possible = l.text().startsWith(from);
      }
      if (!possible) {
        cx.warning(
            REWRITE_NEVER_APPLIES,
            r.from().span(),
            "no path this route matches ("
                + l.text()
                + ") starts with \""
                + from
                + "\", so this rewrite never applies");
      }
    }
  }
}
