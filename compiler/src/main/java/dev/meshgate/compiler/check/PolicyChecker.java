package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.Decl;
import dev.meshgate.compiler.ast.DurationLit;
import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.NumberLit;
import dev.meshgate.compiler.ast.PolicyFile;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.ServiceDecl;
import dev.meshgate.compiler.ast.ServiceStmt;
import dev.meshgate.compiler.ast.StringLit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks a whole policy (all files merged). Reports every finding rather than stopping at the
 * first, and avoids cascades: a reference to a service that does not exist is reported once,
 * not again as a missing subset.
 */
public final class PolicyChecker {
  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");
  /** RFC 9110 token characters, lower case only: Envoy stores header names lower-cased. */
  private static final Pattern HEADER_NAME = Pattern.compile("[a-z0-9!#$%&'*+.^_`|~-]+");
  private static final Pattern HOST_NAME = Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
  private static final Pattern IPV4 = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+)");
  private static final Set<String> PROTOCOLS = Set.of("http", "http2", "grpc", "tcp");
  /** Retry conditions, named as Envoy's retry_on names them. */
  public static final List<String> RETRY_CONDITIONS =
      List.of("5xx", "gateway-error", "reset", "connect-failure", "retriable-4xx", "refused-stream");
  private static final Set<Integer> REDIRECT_STATUSES = Set.of(301, 302, 303, 307, 308);
  /** What Envoy uses when a route sets no timeout. */
  public static final Duration ENVOY_DEFAULT_TIMEOUT = Duration.ofSeconds(15);

  private final List<PolicyFile> files;
  private final Map<String, Source> sources = new HashMap<>();
  private final List<Diagnostic> out = new ArrayList<>();
  /** First declaration of each service, in policy order. */
  private final Map<String, ServiceDecl> services = new LinkedHashMap<>();
  private final Map<String, Map<String, ServiceStmt.SubsetStmt>> subsets = new HashMap<>();
  private PolicyFile current;

  private PolicyChecker(List<PolicyFile> files) {
    this.files = files;
    files.forEach(f -> sources.put(f.source().name(), f.source()));
  }

  public static List<Diagnostic> check(List<PolicyFile> files) {
    PolicyChecker checker = new PolicyChecker(List.copyOf(files));
    checker.run();
    return List.copyOf(checker.out);
  }

  private void run() {
    // Services first, across all files: routes anywhere may refer to any of them.
    for (PolicyFile file : files) {
      current = file;
      for (Decl decl : file.decls()) {
        if (decl instanceof ServiceDecl service) {
          service(service);
        }
      }
    }
    Map<String, GatewayDecl> gateways = new HashMap<>();
    for (PolicyFile file : files) {
      current = file;
      for (Decl decl : file.decls()) {
        if (decl instanceof GatewayDecl gateway) {
          checkName(gateway.name(), "gateway");
          GatewayDecl first = gateways.putIfAbsent(gateway.name().text(), gateway);
          if (first != null) {
            error(DUPLICATE_GATEWAY, gateway.name().span(),
                "duplicate gateway \"" + gateway.name().text() + "\"; it is first declared at " + at(first.name().span()));
          }
          gateway(gateway, first == null);
        }
      }
    }
  }

  // ------------------------------------------------------------------ services

  private void service(ServiceDecl service) {
    String name = service.name().text();
    checkName(service.name(), "service");
    ServiceDecl first = services.putIfAbsent(name, service);
    if (first != null) {
      error(DUPLICATE_SERVICE, service.name().span(),
          "duplicate service \"" + name + "\"; it is first declared at " + at(first.name().span()));
    }
    Map<String, ServiceStmt.SubsetStmt> own = new LinkedHashMap<>();
    if (first == null) {
      subsets.put(name, own);
    }
    ServiceStmt sourceSeen = null;
    ServiceStmt protocolSeen = null;
    List<ServiceStmt.Endpoint> endpoints = null;
    for (ServiceStmt stmt : service.body()) {
      switch (stmt) {
        case ServiceStmt.StaticSource s -> {
          sourceSeen = once(sourceSeen, s, "source", name);
          endpoints = endpoints == null ? s.endpoints() : endpoints;
          for (ServiceStmt.Endpoint e : s.endpoints()) {
            checkPort(e.port());
            if (IPV4.matcher(e.host()).matches()) {
              checkAddress(e.host(), e.hostSpan());
            } else {
              // Envoy's EDS takes IP addresses only; a name here would be NACKed at serve time.
              error(STATIC_HOST_NOT_IP, e.hostSpan(),
                  "static endpoint \"" + e.host() + "\" is not an IP address; Envoy resolves no names in"
                      + " endpoint lists, so write the address, like 127.0.0.1:" + e.port().text());
            }
          }
        }
        case ServiceStmt.ConsulSource s -> {
          sourceSeen = once(sourceSeen, s, "source", name);
          notSupported(s.span(), "consul");
        }
        case ServiceStmt.KubernetesSource s -> {
          sourceSeen = once(sourceSeen, s, "source", name);
          notSupported(s.span(), "kubernetes");
        }
        case ServiceStmt.ProtocolStmt p -> {
          protocolSeen = once(protocolSeen, p, "protocol", name);
          if (!PROTOCOLS.contains(p.protocol().text())) {
            error(UNKNOWN_PROTOCOL, p.protocol().span(),
                "unknown protocol \"" + p.protocol().text() + "\"; use http, http2, grpc or tcp");
          }
        }
        case ServiceStmt.SubsetStmt s -> {
          checkName(s.name(), "subset");
          ServiceStmt.SubsetStmt before = own.putIfAbsent(s.name().text(), s);
          if (before != null) {
            error(DUPLICATE_SUBSET, s.name().span(),
                "duplicate subset \"" + s.name().text() + "\" in service \"" + name + "\"; it is first declared at "
                    + at(before.name().span()));
          }
        }
      }
    }
    if (sourceSeen == null && current.complete() && first == null) {
      error(SERVICE_WITHOUT_SOURCE, service.name().span(),
          "service \"" + name + "\" has no source; add one like `source static 127.0.0.1:9101`");
    }
    if (endpoints != null) {
      for (ServiceStmt.SubsetStmt s : own.values()) {
        if (!selectsAny(s, endpoints)) {
          warning(SUBSET_MATCHES_NOTHING, s.name().span(),
              "subset \"" + s.name().text() + "\" selects none of the static endpoints of service \"" + name
                  + "\"; check the labels after `labels`");
        }
      }
    }
  }

  private static boolean selectsAny(ServiceStmt.SubsetStmt subset, List<ServiceStmt.Endpoint> endpoints) {
    return endpoints.stream()
        .anyMatch(
            e -> subset.where().stream()
                .allMatch(sel -> e.labels().stream().anyMatch(l -> l.key().equals(sel.key()) && l.value().equals(sel.value()))));
  }

  private <T extends ServiceStmt> ServiceStmt once(ServiceStmt seen, T stmt, String keyword, String service) {
    if (seen != null) {
      error(DUPLICATE_SERVICE_SETTING, stmt.span(),
          "service \"" + service + "\" has more than one `" + keyword + "`; the first is at " + at(seen.span()));
      return seen;
    }
    return stmt;
  }

  private void notSupported(Span span, String kind) {
    error(SOURCE_NOT_SUPPORTED, span,
        "`source " + kind + "` is not supported yet; list the endpoints with `source static ADDRESS:PORT, …` for now");
  }

  // ------------------------------------------------------------------ gateways

  /** {@code first}: not a duplicate; "missing" findings only make sense for the real one. */
  private void gateway(GatewayDecl gateway, boolean first) {
    String name = gateway.name().text();
    Map<Long, GatewayStmt.Listen> ports = new HashMap<>();
    Map<String, GatewayStmt.Host> hosts = new HashMap<>();
    for (GatewayStmt stmt : gateway.body()) {
      switch (stmt) {
        case GatewayStmt.Listen l -> {
          checkPort(l.port());
          l.address().ifPresent(a -> checkAddress(a.text(), a.span()));
          GatewayStmt.Listen before = ports.putIfAbsent(l.port().value(), l);
          if (before != null) {
            error(DUPLICATE_LISTEN_PORT, l.port().span(),
                "gateway \"" + name + "\" already listens on port " + l.port().text() + " at " + at(before.span()));
          }
        }
        case GatewayStmt.Host h -> {
          checkHost(h.host());
          GatewayStmt.Host before = hosts.putIfAbsent(h.host().value().toLowerCase(java.util.Locale.ROOT), h);
          if (before != null) {
            error(DUPLICATE_HOST, h.host().span(),
                "duplicate host \"" + h.host().value() + "\" in gateway \"" + name + "\"; it is first declared at "
                    + at(before.host().span()) + "; merge their routes");
          }
          routes(h);
        }
      }
    }
    if (current.complete() && first && ports.isEmpty()) {
      error(GATEWAY_WITHOUT_LISTEN, gateway.name().span(),
          "gateway \"" + name + "\" has no `listen`, so it receives no traffic; add one like `listen :8080`");
    }
    if (current.complete() && first && hosts.isEmpty()) {
      warning(GATEWAY_WITHOUT_HOSTS, gateway.name().span(),
          "gateway \"" + name + "\" has no hosts, so it answers every request with 404; add one like `host \"*\" { … }`");
    }
  }

  private void checkHost(StringLit host) {
    String h = host.value();
    if (h.equals("*") || HOST_NAME.matcher(h).matches()) {
      return;
    }
    String hint = !h.equals(h.toLowerCase(java.util.Locale.ROOT))
        ? "write it in lower case"
        : "use a domain like \"api.example.com\", a wildcard like \"*.example.com\", or \"*\" for any host";
    error(INVALID_HOST, host.span(), "invalid host \"" + h + "\"; " + hint);
  }

  // ------------------------------------------------------------------ routes

  private record MatchKey(String path, Set<String> methods, Set<String> conditions) {}

  private void routes(GatewayStmt.Host host) {
    Map<MatchKey, RouteDecl> seen = new HashMap<>();
    RouteDecl catchAll = null;
    for (RouteDecl route : host.routes()) {
      route(route);
      if (catchAll != null) {
        error(ROUTE_AFTER_CATCH_ALL, route.span(),
            "this route can never match: the catch-all route `/**` at line " + catchAll.span().line()
                + " takes every request first; move this route above it");
        continue;
      }
      MatchKey key = matchKey(route);
      RouteDecl before = seen.putIfAbsent(key, route);
      if (before != null) {
        error(DUPLICATE_MATCH, route.span(),
            "this route matches the same requests as the route at " + at(before.span())
                + ", which comes first, so it can never match");
      }
      if (isCatchAll(route)) {
        catchAll = route;
      }
    }
  }

  private static boolean isCatchAll(RouteDecl route) {
    return route.methods().isEmpty()
        && route.conditions().isEmpty()
        && route.path() instanceof RouteDecl.PathPattern.Literal l
        && l.text().equals("/**");
  }

  private static MatchKey matchKey(RouteDecl route) {
    String path = switch (route.path()) {
      case RouteDecl.PathPattern.Literal l -> "path " + l.text();
      case RouteDecl.PathPattern.Regex r -> "regex " + r.regex().value();
    };
    Set<String> methods = new TreeSet<>();
    route.methods().forEach(m -> methods.add(m.text()));
    Set<String> conditions = new TreeSet<>();
    for (RouteDecl.Condition c : route.conditions()) {
      String name = c.kind() == RouteDecl.Condition.Kind.HEADER ? c.name().value().toLowerCase(java.util.Locale.ROOT) : c.name().value();
      conditions.add(c.kind() + " " + name + (c.regex() ? " ~ " : " = ") + c.value().value());
    }
    return new MatchKey(path, methods, conditions);
  }

  private void route(RouteDecl route) {
    Set<String> methods = new TreeSet<>();
    for (Name m : route.methods()) {
      if (!methods.add(m.text())) {
        error(DUPLICATE_METHOD, m.span(), "method " + m.text() + " is listed twice in this route");
      }
    }
    switch (route.path()) {
      case RouteDecl.PathPattern.Literal l -> checkPath(l);
      case RouteDecl.PathPattern.Regex r -> checkRegex(r.regex());
    }
    for (RouteDecl.Condition c : route.conditions()) {
      if (c.kind() == RouteDecl.Condition.Kind.HEADER) {
        checkHeaderName(c.name());
      } else if (c.name().value().isEmpty()) {
        error(INVALID_QUERY_NAME, c.name().span(), "query parameter name is empty; write the parameter's name, like \"q\"");
      }
      if (c.regex()) {
        checkRegex(c.value());
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
            error(REDIRECT_STATUS, r.status().span(),
                "redirect status " + r.status().text() + " is not a redirect; use 301, 302, 303, 307 or 308");
          }
          String loc = r.location().value();
          if (!(loc.startsWith("/") || loc.startsWith("http://") || loc.startsWith("https://")) || loc.contains(" ")) {
            error(INVALID_REDIRECT_LOCATION, r.location().span(),
                "redirect location \"" + loc + "\" must be a path like \"/new/\" or a URL like \"https://example.com/new/\"");
          }
        }
        case RouteStmt.Respond r -> {
          action = action(action, r);
          if (r.status().value() < 200 || r.status().value() > 599) {
            error(RESPOND_STATUS, r.status().span(),
                "respond status " + r.status().text() + " is out of range; use a status from 200 to 599");
          }
        }
        case RouteStmt.Timeout t -> {
          forwardOnly.add(t);
          if (setting(settings, t)) {
            timeout = t;
          }
          checkDuration(t.duration());
        }
        case RouteStmt.Retry r -> {
          forwardOnly.add(r);
          if (setting(settings, r)) {
            retry = r;
          }
          retry(r);
        }
        case RouteStmt.Rewrite r -> {
          forwardOnly.add(r);
          setting(settings, r);
          rewrite(route, r);
        }
        case RouteStmt.HeaderChange h -> {
          String n = h.name().value();
          if (n.equals("host") || n.startsWith(":")) {
            error(RESERVED_HEADER, h.name().span(),
                "header \"" + n + "\" cannot be changed by a route: Envoy rejects changes to host and to ':' pseudo-headers");
          } else {
            checkHeaderName(h.name());
          }
        }
      }
    }
    if (action == null) {
      if (current.complete()) {
        error(ROUTE_WITHOUT_ACTION, route.span(), "route has no action; add one of `to`, `redirect` or `respond`");
      }
    } else if (!(action instanceof RouteStmt.To)) {
      for (RouteStmt s : forwardOnly) {
        error(FORWARD_ONLY_SETTING, s.span(),
            "`" + s.keyword() + "` only applies to routes that forward with `to`, but this route uses `"
                + action.keyword() + "`");
      }
    }
    if (retry != null && action instanceof RouteStmt.To) {
      retryBudget(retry, timeout);
    }
  }

  private RouteStmt action(RouteStmt first, RouteStmt next) {
    if (first == null) {
      return next;
    }
    error(ROUTE_WITH_SEVERAL_ACTIONS, next.span(),
        "a route has exactly one action, but this one has `" + first.keyword() + "` at " + at(first.span())
            + " and `" + next.keyword() + "` here; keep one");
    return first;
  }

  /** Records a once-only route setting; reports and returns false when it is a repeat. */
  private boolean setting(Map<String, RouteStmt> settings, RouteStmt stmt) {
    RouteStmt before = settings.putIfAbsent(stmt.keyword(), stmt);
    if (before != null) {
      error(DUPLICATE_ROUTE_SETTING, stmt.span(),
          "duplicate `" + stmt.keyword() + "` in this route; the first is at " + at(before.span()));
      return false;
    }
    return true;
  }

  private void targets(RouteStmt.To to) {
    Map<String, RouteStmt.Target> seen = new HashMap<>();
    boolean resolvable = true;
    for (RouteStmt.Target t : to.targets()) {
      resolvable &= resolve(t);
      RouteStmt.Target before = seen.putIfAbsent(t.cluster(), t);
      if (before != null) {
        error(DUPLICATE_TARGET, t.span(),
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
          error(WEIGHT_MISSING, t.span(),
              "target \"" + t.cluster() + "\" has no weight; when `to` has several targets each needs one, like "
                  + t.cluster() + " 10%");
        } else {
          sum += 100;
        }
        continue;
      }
      NumberLit w = t.weight().get();
      sum = Math.min(sum + w.value(), Long.MAX_VALUE / 2);
      if (w.value() == 0) {
        error(WEIGHT_ZERO, w.span(),
            "weight 0% sends no traffic to \"" + t.cluster() + "\"; remove the target instead");
      }
    }
    if (!missing && sum != 100) {
      error(WEIGHTS_SUM, to.span(), "weights sum to " + sum + "%, but must sum to 100%");
    }
  }

  /** Resolves a target; reports and returns false when its service or subset does not exist. */
  private boolean resolve(RouteStmt.Target t) {
    String service = t.service().text();
    if (!services.containsKey(service)) {
      String known = services.isEmpty() ? "no services are declared" : "declared services: " + String.join(", ", new TreeSet<>(services.keySet()));
      error(UNKNOWN_SERVICE, t.service().span(), "unknown service \"" + service + "\"; " + known);
      return false;
    }
    if (t.subset().isPresent()) {
      Name subset = t.subset().get();
      Map<String, ServiceStmt.SubsetStmt> own = subsets.getOrDefault(service, Map.of());
      if (!own.containsKey(subset.text())) {
        String known = own.isEmpty()
            ? "it declares no subsets"
            : "its subsets: " + String.join(", ", new TreeSet<>(own.keySet()));
        error(UNKNOWN_SUBSET, subset.span(), "unknown subset \"" + subset.text() + "\" of service \"" + service + "\"; " + known);
        return false;
      }
    }
    return true;
  }

  private void retry(RouteStmt.Retry r) {
    if (r.attempts().value() < 1 || r.attempts().value() > 10) {
      error(RETRY_ATTEMPTS, r.attempts().span(),
          "retry attempts must be from 1 to 10, found " + r.attempts().text());
    }
    Set<String> seen = new TreeSet<>();
    for (Name c : r.on()) {
      if (!RETRY_CONDITIONS.contains(c.text())) {
        error(UNKNOWN_RETRY_CONDITION, c.span(),
            "unknown retry condition \"" + c.text() + "\"; valid conditions: " + String.join(", ", RETRY_CONDITIONS));
      } else if (!seen.add(c.text())) {
        error(UNKNOWN_RETRY_CONDITION, c.span(), "retry condition \"" + c.text() + "\" is listed twice");
      }
    }
    r.perTry().ifPresent(this::checkDuration);
  }

  private void retryBudget(RouteStmt.Retry retry, RouteStmt.Timeout timeout) {
    Optional<Duration> perTry = retry.perTry().flatMap(DurationLit::value);
    if (perTry.isEmpty() || perTry.get().isZero() || retry.attempts().value() < 1 || retry.attempts().value() > 10) {
      return;
    }
    Duration total = perTry.get().multipliedBy(retry.attempts().value());
    Optional<Duration> explicit = timeout == null ? Optional.empty() : timeout.duration().value();
    if (timeout != null && (explicit.isEmpty() || explicit.get().isZero())) {
      return;
    }
    Duration limit = explicit.orElse(ENVOY_DEFAULT_TIMEOUT);
    if (total.compareTo(limit) > 0) {
      String which = timeout == null ? "Envoy's default route timeout of 15s" : "the route timeout of " + timeout.duration().text();
      warning(RETRIES_EXCEED_TIMEOUT, retry.span(),
          "retries can take " + retry.attempts().text() + " × " + retry.perTry().get().text() + " = " + format(total)
              + ", longer than " + which + ", so the last retries would be cut off");
    }
  }

  private void rewrite(RouteDecl route, RouteStmt.Rewrite r) {
    for (StringLit s : List.of(r.from(), r.to())) {
      if (!s.value().startsWith("/")) {
        error(INVALID_REWRITE, s.span(), "rewrite prefixes are paths and must start with '/', found \"" + s.value() + "\"");
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
        warning(REWRITE_NEVER_APPLIES, r.from().span(),
            "no path this route matches (" + l.text() + ") starts with \"" + from + "\", so this rewrite never applies");
      }
    }
  }

  // ------------------------------------------------------------------ values

  private void checkName(Name name, String what) {
    if (!NAME.matcher(name.text()).matches()) {
      error(INVALID_NAME, name.span(),
          "invalid " + what + " name \"" + name.text() + "\"; names use lower-case letters, digits and '-', and start with a letter");
    }
  }

  private void checkPort(NumberLit port) {
    if (port.value() < 1 || port.value() > 65535) {
      error(PORT_OUT_OF_RANGE, port.span(), "port " + port.text() + " is out of range; use a port from 1 to 65535");
    }
  }

  private void checkAddress(String address, Span span) {
    var m = IPV4.matcher(address);
    if (m.matches()) {
      for (int i = 1; i <= 4; i++) {
        if (m.group(i).length() > 3 || Integer.parseInt(m.group(i)) > 255) {
          error(INVALID_ADDRESS, span, "invalid IP address " + address + "; each part must be from 0 to 255");
          return;
        }
      }
    }
  }

  private void checkDuration(DurationLit d) {
    String unit = d.unit();
    if (!unit.equals("ms") && !unit.equals("s") && !unit.equals("m")) {
      error(UNKNOWN_DURATION_UNIT, d.span(),
          "unknown duration unit \"" + unit + "\" in " + d.text() + "; use ms, s or m, like 250ms, 2s or 1m");
      return;
    }
    Optional<Duration> value = d.value();
    if (value.isEmpty()) {
      error(DURATION_OUT_OF_RANGE, d.span(), "duration " + d.text() + " is too long; the longest allowed is 365 days");
    } else if (value.get().isZero()) {
      error(DURATION_OUT_OF_RANGE, d.span(), "duration " + d.text() + " is zero; a duration must be at least 1ms");
    }
  }

  private void checkPath(RouteDecl.PathPattern.Literal path) {
    String p = path.text();
    String fixed = p.endsWith("/**") ? p.substring(0, p.length() - 3) : p;
    if (fixed.contains("*")) {
      error(INVALID_PATH, path.span(),
          "invalid path " + p + ": '*' may only appear as a final /**, as in /api/**; use ~ \"regex\" for other patterns");
    }
  }

  private void checkHeaderName(StringLit name) {
    String n = name.value();
    if (!HEADER_NAME.matcher(n).matches()) {
      String lower = n.toLowerCase(java.util.Locale.ROOT);
      String hint = !lower.equals(n) && HEADER_NAME.matcher(lower).matches()
          ? "header names are written in lower case: \"" + lower + "\""
          : "header names use lower-case letters, digits and - _ . ! # $ % & ' * + ^ ` | ~";
      error(INVALID_HEADER_NAME, name.span(), "invalid header name \"" + n + "\"; " + hint);
    }
  }

  /**
   * Envoy uses RE2; java.util.regex is close enough to find syntax errors, plus a scan for the
   * features RE2 lacks (lookaround, backreferences, possessive quantifiers).
   */
  private void checkRegex(StringLit lit) {
    String re = lit.value();
    String unsupported = null;
    int at = -1;
    var m = Pattern.compile("\\(\\?<?[=!]|\\\\[1-9]|[*+?}][+]").matcher(re);
    if (m.find() && !escaped(re, m.start())) {
      at = m.start();
      String found = m.group();
      unsupported = found.startsWith("(") ? "lookaround " + found + "…)" : found.startsWith("\\") ? "backreference " + found : "possessive quantifier " + found;
    }
    if (unsupported != null) {
      error(INVALID_REGEX, insideString(lit, at),
          "invalid regex: RE2, which Envoy uses, does not support " + unsupported);
      return;
    }
    try {
      Pattern.compile(re);
    } catch (PatternSyntaxException e) {
      int index = Math.max(0, Math.min(e.getIndex(), re.length()));
      String description = e.getDescription();
      error(INVALID_REGEX, insideString(lit, index),
          "invalid regex: " + description.substring(0, 1).toLowerCase(java.util.Locale.ROOT) + description.substring(1)
              + " at position " + (index + 1));
    }
  }

  private static boolean escaped(String s, int index) {
    int backslashes = 0;
    for (int i = index - 1; i >= 0 && s.charAt(i) == '\\'; i--) {
      backslashes++;
    }
    return backslashes % 2 == 1;
  }

  /** The span of character {@code index} of a string's value, mapped back through escapes. */
  private static Span insideString(StringLit lit, int index) {
    String raw = lit.raw();
    int rawPos = 1;
    for (int i = 0; i < index && rawPos < raw.length(); i++) {
      if (raw.charAt(rawPos) == '\\' && rawPos + 1 < raw.length() && (raw.charAt(rawPos + 1) == '"' || raw.charAt(rawPos + 1) == '\\')) {
        rawPos++;
      }
      rawPos++;
    }
    Span s = lit.span();
    int column = s.column() + Math.min(rawPos, Math.max(0, raw.length() - 1));
    return new Span(s.file(), s.line(), column, 1);
  }

  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }

  // ------------------------------------------------------------------ reporting

  /**
   * Where an earlier construct is, for a message: "line 3" in the same file, "other.mesh:3"
   * across files. Uses the file being checked as "here".
   */
  private String at(Span span) {
    return span.file().equals(current.source().name()) ? "line " + span.line() : span.file() + ":" + span.line();
  }

  private void error(String code, Span span, String message) {
    out.add(Diagnostic.error(code, span, sourceOf(span), message));
  }

  private void warning(String code, Span span, String message) {
    out.add(Diagnostic.warning(code, span, sourceOf(span), message));
  }

  private Source sourceOf(Span span) {
    return sources.getOrDefault(span.file(), current.source());
  }
}
