package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.Suppressed;
import dev.meshgate.compiler.ast.CallDecl;
import dev.meshgate.compiler.ast.Decl;
import dev.meshgate.compiler.ast.DurationLit;
import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.MeshDecl;
import dev.meshgate.compiler.ast.MeshStmt;
import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.NumberLit;
import dev.meshgate.compiler.ast.PolicyFile;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.RuleDecl;
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

/**
 * Checks a whole policy (all files merged). Reports every finding rather than stopping at the
 * first, and avoids cascades: a reference to a service that does not exist is reported once, not
 * again as a missing subset.
 */
public final class PolicyChecker {
  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

  /** RFC 9110 token characters, lower case only: Envoy stores header names lower-cased. */
  private static final Pattern HEADER_NAME = Pattern.compile("[a-z0-9!#$%&'*+.^_`|~-]+");

  private static final Pattern HOST_NAME =
      Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
  private static final Pattern IPV4 = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+)");

  /** Kubernetes object names are DNS labels; the namespace part is optional. */
  private static final Pattern KUBERNETES_REF =
      Pattern.compile("([a-z0-9]([-a-z0-9]*[a-z0-9])?/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  /** A Service port name (an IANA service name: has a letter) or a port number 1..65535. */
  private static final Pattern KUBERNETES_PORT =
      Pattern.compile(
          "[a-z0-9]*[a-z][-a-z0-9]*|[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]");

  private static final Set<String> PROTOCOLS = Set.of("http", "http2", "grpc", "tcp");

  /** Retry conditions, named as Envoy's retry_on names them. */
  public static final List<String> RETRY_CONDITIONS =
      List.of(
          "5xx", "gateway-error", "reset", "connect-failure", "retriable-4xx", "refused-stream");

  private static final Set<Integer> REDIRECT_STATUSES = Set.of(301, 302, 303, 307, 308);

  /** What Envoy uses when a route sets no timeout. */
  public static final Duration ENVOY_DEFAULT_TIMEOUT = Duration.ofSeconds(15);

  private final List<PolicyFile> files;
  private final Map<String, Source> sources = new HashMap<>();
  private final List<Diagnostic> out = new ArrayList<>();

  /** First declaration of each service, in policy order. */
  private final Map<String, ServiceDecl> services = new LinkedHashMap<>();

  private final Map<String, Map<String, ServiceStmt.SubsetStmt>> subsets = new HashMap<>();

  /** The static endpoints of each service that has a static source (first declaration). */
  private final Map<String, List<ServiceStmt.Endpoint>> staticEndpoints = new HashMap<>();

  /** First declaration of each gateway. */
  private final Map<String, GatewayDecl> gateways = new LinkedHashMap<>();

  /** The sidecar of each service that has one (first block, first service declaration). */
  private final Map<String, Sidecar> sidecars = new LinkedHashMap<>();

  /** The mesh-wide settings, from the first mesh block or the defaults. */
  private boolean strictMtls = true;

  private boolean defaultDeny = true;
  private PolicyFile current;

  /** A sidecar's addresses as written (absent when missing or broken). */
  private record Sidecar(
      ServiceStmt.Sidecar block,
      Optional<ServiceStmt.SidecarStmt> inbound,
      Optional<ServiceStmt.SidecarStmt> app,
      Optional<ServiceStmt.SidecarStmt> outbound) {}

  /** A rule whose names all resolved, in policy order, with the file it is in. */
  private record CheckedRule(RuleDecl rule, RuleCoverage.Scope scope, PolicyFile file) {}

  /** The outbound address a sidecar uses when it declares none. */
  public static final String DEFAULT_OUTBOUND_ADDRESS = "127.0.0.1";

  public static final int DEFAULT_OUTBOUND_PORT = 15001;

  private PolicyChecker(List<PolicyFile> files) {
    this.files = files;
    files.forEach(f -> sources.put(f.source().name(), f.source()));
  }

  /** Every finding that is not silenced by an ignore comment. */
  public static List<Diagnostic> check(List<PolicyFile> files) {
    return analyze(files).diagnostics();
  }

  /** The findings to report, and those silenced by {@code # meshgate:ignore} comments. */
  public record Result(List<Diagnostic> diagnostics, List<Suppressed> suppressed) {
    public Result {
      diagnostics = List.copyOf(diagnostics);
      suppressed = List.copyOf(suppressed);
    }
  }

  public static Result analyze(List<PolicyFile> files) {
    PolicyChecker checker = new PolicyChecker(List.copyOf(files));
    checker.run();
    checker.out.addAll(TestChecker.check(checker.files)); // test blocks (MG8xx)
    Suppressions.Outcome outcome = Suppressions.apply(checker.files, checker.out, checker.sound());
    return new Result(outcome.diagnostics(), outcome.suppressed());
  }

  /**
   * Every file parsed and no error so far: the analyses that look at the policy as a whole (unused
   * declarations, unused ignores) run only then, since a misspelt name would otherwise also show up
   * as its intended target being unused.
   */
  private boolean sound() {
    // Errors silenced by an ignore comment do not count: the policy compiles despite them.
    return files.stream().allMatch(PolicyFile::complete)
        && Suppressions.apply(files, out, false).diagnostics().stream()
            .noneMatch(Diagnostic::isError);
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
    for (PolicyFile file : files) {
      current = file;
      for (Decl decl : file.decls()) {
        if (decl instanceof GatewayDecl gateway) {
          checkName(gateway.name(), "gateway");
          GatewayDecl first = gateways.putIfAbsent(gateway.name().text(), gateway);
          if (first != null) {
            error(
                DUPLICATE_GATEWAY,
                gateway.name().span(),
                "duplicate gateway \""
                    + gateway.name().text()
                    + "\"; it is first declared at "
                    + at(first.name().span()));
          }
          gateway(gateway, first == null);
        }
      }
    }
    mesh();
    sidecarClashesAcrossServices();
    List<CheckedRule> rules = rules();
    coverage(rules);
    calls(rules);
    listenerCollisions();
    if (sound()) {
      unused();
    }
  }

  // ------------------------------------------------------------------ services

  private void service(ServiceDecl service) {
    String name = service.name().text();
    checkName(service.name(), "service");
    ServiceDecl first = services.putIfAbsent(name, service);
    if (first != null) {
      error(
          DUPLICATE_SERVICE,
          service.name().span(),
          "duplicate service \"" + name + "\"; it is first declared at " + at(first.name().span()));
    }
    Map<String, ServiceStmt.SubsetStmt> own = new LinkedHashMap<>();
    if (first == null) {
      subsets.put(name, own);
    }
    ServiceStmt sourceSeen = null;
    ServiceStmt protocolSeen = null;
    ServiceStmt sidecarSeen = null;
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
              error(
                  STATIC_HOST_NOT_IP,
                  e.hostSpan(),
                  "static endpoint \""
                      + e.host()
                      + "\" is not an IP address; Envoy resolves no names in"
                      + " endpoint lists, so write the address, like 127.0.0.1:"
                      + e.port().text());
            }
          }
        }
        case ServiceStmt.ConsulSource s -> {
          sourceSeen = once(sourceSeen, s, "source", name);
          consulSource(s);
        }
        case ServiceStmt.KubernetesSource s -> {
          sourceSeen = once(sourceSeen, s, "source", name);
          kubernetesSource(s);
        }
        case ServiceStmt.ProtocolStmt p -> {
          protocolSeen = once(protocolSeen, p, "protocol", name);
          if (!PROTOCOLS.contains(p.protocol().text())) {
            error(
                UNKNOWN_PROTOCOL,
                p.protocol().span(),
                "unknown protocol \"" + p.protocol().text() + "\"; use http, http2, grpc or tcp");
          }
        }
        case ServiceStmt.Sidecar sc -> {
          sidecarSeen = once(sidecarSeen, sc, "sidecar", name);
          Sidecar checked = sidecar(name, sc);
          if (first == null && sidecarSeen == sc) {
            sidecars.put(name, checked);
          }
        }
        case ServiceStmt.SubsetStmt s -> {
          checkName(s.name(), "subset");
          ServiceStmt.SubsetStmt before = own.putIfAbsent(s.name().text(), s);
          if (before != null) {
            error(
                DUPLICATE_SUBSET,
                s.name().span(),
                "duplicate subset \""
                    + s.name().text()
                    + "\" in service \""
                    + name
                    + "\"; it is first declared at "
                    + at(before.name().span()));
          }
        }
      }
    }
    if (sourceSeen == null && current.complete() && first == null) {
      error(
          SERVICE_WITHOUT_SOURCE,
          service.name().span(),
          "service \"" + name + "\" has no source; add one like `source static 127.0.0.1:9101`");
    }
    Sidecar sidecar = first == null ? sidecars.get(name) : null;
    if (endpoints != null && sidecar != null && sidecar.inbound().isPresent()) {
      long inboundPort = sidecar.inbound().get().port().value();
      for (ServiceStmt.Endpoint e : endpoints) {
        if (e.port().value() != inboundPort) {
          warning(
              SOURCE_BYPASSES_SIDECAR,
              e.span(),
              "callers reach service \""
                  + name
                  + "\" at "
                  + e.host()
                  + ":"
                  + e.port().text()
                  + ", which is not its sidecar's inbound port "
                  + inboundPort
                  + ", so their requests bypass the sidecar (no mTLS, no authorization); list the sidecar's address in `source`");
        }
      }
    }
    if (endpoints != null && first == null) {
      staticEndpoints.put(name, endpoints);
    }
    if (endpoints != null) {
      for (ServiceStmt.SubsetStmt s : own.values()) {
        if (!selectsAny(s, endpoints)) {
          warning(
              SUBSET_MATCHES_NOTHING,
              s.name().span(),
              "subset \""
                  + s.name().text()
                  + "\" selects none of the static endpoints of service \""
                  + name
                  + "\"; check the labels after `labels`");
        }
      }
    }
  }

  private static boolean selectsAny(
      ServiceStmt.SubsetStmt subset, List<ServiceStmt.Endpoint> endpoints) {
    return endpoints.stream()
        .anyMatch(e ->
            subset.where().stream()
                .allMatch(sel ->
                    e.labels().stream()
                        .anyMatch(
                            l -> l.key().equals(sel.key()) && l.value().equals(sel.value()))));
  }

  private <T extends ServiceStmt> ServiceStmt once(
      ServiceStmt seen, T stmt, String keyword, String service) {
    if (seen != null) {
      error(
          DUPLICATE_SERVICE_SETTING,
          stmt.span(),
          "service \""
              + service
              + "\" has more than one `"
              + keyword
              + "`; the first is at "
              + at(seen.span()));
      return seen;
    }
    return stmt;
  }

  private void consulSource(ServiceStmt.ConsulSource s) {
    if (s.service().value().isBlank()) {
      error(
          INVALID_SOURCE,
          s.service().span(),
          "the Consul service name is empty; write the name the service registers with, like \"catalog\"");
    }
    consulOption(s.datacenters(), "datacenter", "dc1");
    consulOption(s.tags(), "tag", "canary");
  }

  private void consulOption(List<StringLit> values, String option, String example) {
    for (int i = 0; i < values.size(); i++) {
      StringLit value = values.get(i);
      if (i > 0) {
        error(
            INVALID_SOURCE,
            value.span(),
            "`"
                + option
                + "` is given twice for this Consul source (first at "
                + at(values.get(0).span())
                + "); keep one");
      } else if (value.value().isBlank()) {
        error(
            INVALID_SOURCE,
            value.span(),
            "the Consul "
                + option
                + " is empty; write one like \""
                + example
                + "\" or leave the option out");
      }
    }
  }

  private void kubernetesSource(ServiceStmt.KubernetesSource s) {
    if (!KUBERNETES_REF.matcher(s.ref().value()).matches()) {
      error(
          INVALID_SOURCE,
          s.ref().span(),
          "invalid Kubernetes service \""
              + s.ref().value()
              + "\"; write NAMESPACE/NAME in lower case, like"
              + " \"shop/catalog\" (the namespace defaults to \"default\")");
    }
    if (s.port().isEmpty()) {
      error(
          INVALID_SOURCE,
          s.span(),
          "a Kubernetes source needs the Service port to send to; add `port NAME` or `port NUMBER`, like `port http`");
    } else if (!KUBERNETES_PORT.matcher(s.port().get().text()).matches()) {
      error(
          INVALID_SOURCE,
          s.port().get().span(),
          "invalid Kubernetes port \""
              + s.port().get().text()
              + "\"; use the Service port's name (lower case,"
              + " like http) or its number from 1 to 65535");
    }
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
            error(
                DUPLICATE_LISTEN_PORT,
                l.port().span(),
                "gateway \""
                    + name
                    + "\" already listens on port "
                    + l.port().text()
                    + " at "
                    + at(before.span()));
          }
        }
        case GatewayStmt.Host h -> {
          checkHost(h.host());
          GatewayStmt.Host before =
              hosts.putIfAbsent(h.host().value().toLowerCase(java.util.Locale.ROOT), h);
          if (before != null) {
            error(
                DUPLICATE_HOST,
                h.host().span(),
                "duplicate host \""
                    + h.host().value()
                    + "\" in gateway \""
                    + name
                    + "\"; it is first declared at "
                    + at(before.host().span())
                    + "; merge their routes");
          }
          routes(h);
        }
      }
    }
    if (current.complete() && first && ports.isEmpty()) {
      error(
          GATEWAY_WITHOUT_LISTEN,
          gateway.name().span(),
          "gateway \""
              + name
              + "\" has no `listen`, so it receives no traffic; add one like `listen :8080`");
    }
    if (current.complete() && first && hosts.isEmpty()) {
      warning(
          GATEWAY_WITHOUT_HOSTS,
          gateway.name().span(),
          "gateway \""
              + name
              + "\" has no hosts, so it answers every request with 404; add one like `host \"*\" { … }`");
    }
  }

  private void checkHost(StringLit host) {
    String h = host.value();
    if (h.equals("*") || HOST_NAME.matcher(h).matches()) {
      return;
    }
    String hint =
        !h.equals(h.toLowerCase(java.util.Locale.ROOT))
            ? "write it in lower case"
            : "use a domain like \"api.example.com\", a wildcard like \"*.example.com\", or \"*\" for any host";
    error(INVALID_HOST, host.span(), "invalid host \"" + h + "\"; " + hint);
  }

  // ------------------------------------------------------------------ routes

  private record MatchKey(String path, Set<String> methods, Set<String> conditions) {}

  /**
   * Routes that can never match, one finding each: after a plain catch-all (MG409), the same match
   * as an earlier route (MG408), or every request it matches taken by an earlier route (MG701, see
   * {@link RouteCoverage}).
   */
  private void routes(GatewayStmt.Host host) {
    Map<MatchKey, RouteDecl> seen = new HashMap<>();
    List<RouteDecl> earlier = new ArrayList<>();
    List<RouteCoverage.Match> earlierMatches = new ArrayList<>();
    RouteDecl catchAll = null;
    for (RouteDecl route : host.routes()) {
      route(route);
      if (catchAll != null) {
        error(
            ROUTE_AFTER_CATCH_ALL,
            route.span(),
            "this route can never match: the catch-all route `/**` at line "
                + catchAll.span().line()
                + " takes every request first; move this route above it");
        continue;
      }
      MatchKey key = matchKey(route);
      RouteDecl before = seen.putIfAbsent(key, route);
      RouteCoverage.Match match = RouteCoverage.Match.of(route);
      if (before != null) {
        error(
            DUPLICATE_MATCH,
            route.span(),
            "this route matches the same requests as the route at "
                + at(before.span())
                + ", which comes first, so it can never match");
      } else {
        for (int i = 0; i < earlier.size(); i++) {
          if (RouteCoverage.covers(earlierMatches.get(i), match)) {
            error(
                ROUTE_SHADOWED,
                route.span(),
                "this route can never match: it is shadowed by the route at "
                    + at(earlier.get(i).span())
                    + " (`"
                    + header(earlier.get(i))
                    + "`), which comes first and matches every request this one"
                    + " matches; move this route above it, or narrow that one");
            break;
          }
        }
      }
      earlier.add(route);
      earlierMatches.add(match);
      if (isCatchAll(route)) {
        catchAll = route;
      }
    }
  }

  /** A route's match as written, for messages: {@code GET /a/** when header "x" = "1"}. */
  private static String header(RouteDecl route) {
    List<String> parts = new ArrayList<>();
    route.methods().forEach(m -> parts.add(m.text()));
    parts.add(
        switch (route.path()) {
          case RouteDecl.PathPattern.Literal l -> l.text();
          case RouteDecl.PathPattern.Regex r -> "~ " + r.regex().raw();
        });
    for (int i = 0; i < route.conditions().size(); i++) {
      RouteDecl.Condition c = route.conditions().get(i);
      parts.add(
          (i == 0 ? "when " : "and ")
              + c.kind().keyword()
              + " "
              + c.name().raw()
              + (c.regex() ? " ~ " : " = ")
              + c.value().raw());
    }
    return String.join(" ", parts);
  }

  private static boolean isCatchAll(RouteDecl route) {
    return route.methods().isEmpty()
        && route.conditions().isEmpty()
        && route.path() instanceof RouteDecl.PathPattern.Literal l
        && l.text().equals("/**");
  }

  private static MatchKey matchKey(RouteDecl route) {
    String path =
        switch (route.path()) {
          case RouteDecl.PathPattern.Literal l -> "path " + l.text();
          case RouteDecl.PathPattern.Regex r -> "regex " + r.regex().value();
        };
    Set<String> methods = new TreeSet<>();
    route.methods().forEach(m -> methods.add(m.text()));
    Set<String> conditions = new TreeSet<>();
    for (RouteDecl.Condition c : route.conditions()) {
      String name =
          c.kind() == RouteDecl.Condition.Kind.HEADER
              ? c.name().value().toLowerCase(java.util.Locale.ROOT)
              : c.name().value();
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
      case RouteDecl.PathPattern.Literal l -> checkPath(l, true);
      case RouteDecl.PathPattern.Regex r -> checkRegex(r.regex());
    }
    for (RouteDecl.Condition c : route.conditions()) {
      if (c.kind() == RouteDecl.Condition.Kind.HEADER) {
        checkHeaderName(c.name());
      } else if (c.name().value().isEmpty()) {
        error(
            INVALID_QUERY_NAME,
            c.name().span(),
            "query parameter name is empty; write the parameter's name, like \"q\"");
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
            error(
                REDIRECT_STATUS,
                r.status().span(),
                "redirect status "
                    + r.status().text()
                    + " is not a redirect; use 301, 302, 303, 307 or 308");
          }
          String loc = r.location().value();
          if (!(loc.startsWith("/") || loc.startsWith("http://") || loc.startsWith("https://"))
              || loc.contains(" ")) {
            error(
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
            error(
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
          checkDuration(t.duration());
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
            error(
                RESERVED_HEADER,
                h.name().span(),
                "header \""
                    + n
                    + "\" cannot be changed by a route: Envoy rejects changes to host and to ':' pseudo-headers");
          } else {
            checkHeaderName(h.name());
          }
        }
        case RouteStmt.Port p -> {} // call-only: the grammar has no `port` in routes
      }
    }
    if (action == null) {
      if (current.complete()) {
        error(
            ROUTE_WITHOUT_ACTION,
            route.span(),
            "route has no action; add one of `to`, `redirect` or `respond`");
      }
    } else if (!(action instanceof RouteStmt.To)) {
      for (RouteStmt s : forwardOnly) {
        error(
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

  private RouteStmt action(RouteStmt first, RouteStmt next) {
    if (first == null) {
      return next;
    }
    error(
        ROUTE_WITH_SEVERAL_ACTIONS,
        next.span(),
        "a route has exactly one action, but this one has `"
            + first.keyword()
            + "` at "
            + at(first.span())
            + " and `"
            + next.keyword()
            + "` here; keep one");
    return first;
  }

  /** Records a once-only route setting; reports and returns false when it is a repeat. */
  private boolean setting(Map<String, RouteStmt> settings, RouteStmt stmt, String where) {
    RouteStmt before = settings.putIfAbsent(stmt.keyword(), stmt);
    if (before != null) {
      error(
          DUPLICATE_ROUTE_SETTING,
          stmt.span(),
          "duplicate `"
              + stmt.keyword()
              + "` in this "
              + where
              + "; the first is at "
              + at(before.span()));
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
        error(
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
          error(
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
        error(
            WEIGHT_ZERO,
            w.span(),
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
      String known =
          services.isEmpty()
              ? "no services are declared"
              : "declared services: " + String.join(", ", new TreeSet<>(services.keySet()));
      error(UNKNOWN_SERVICE, t.service().span(), "unknown service \"" + service + "\"; " + known);
      return false;
    }
    if (isTcp(service)) {
      error(
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
      Map<String, ServiceStmt.SubsetStmt> own = subsets.getOrDefault(service, Map.of());
      if (!own.containsKey(subset.text())) {
        String known =
            own.isEmpty()
                ? "it declares no subsets"
                : "its subsets: " + String.join(", ", new TreeSet<>(own.keySet()));
        error(
            UNKNOWN_SUBSET,
            subset.span(),
            "unknown subset \"" + subset.text() + "\" of service \"" + service + "\"; " + known);
        return false;
      }
      List<ServiceStmt.Endpoint> endpoints = staticEndpoints.get(service);
      if (endpoints != null && !selectsAny(own.get(subset.text()), endpoints)) {
        error(
            TARGET_SUBSET_EMPTY,
            t.span(),
            "\""
                + t.cluster()
                + "\" has no endpoint: subset \""
                + subset.text()
                + "\" ("
                + at(own.get(subset.text()).span())
                + ") selects none of the static endpoints of service \""
                + service
                + "\", so every request sent there fails with 503; fix the subset's `where` or the endpoints' labels");
      }
    }
    return true;
  }

  private void retry(RouteStmt.Retry r) {
    if (r.attempts().value() < 1 || r.attempts().value() > 10) {
      error(
          RETRY_ATTEMPTS,
          r.attempts().span(),
          "retry attempts must be from 1 to 10, found " + r.attempts().text());
    }
    Set<String> seen = new TreeSet<>();
    for (Name c : r.on()) {
      if (!RETRY_CONDITIONS.contains(c.text())) {
        error(
            UNKNOWN_RETRY_CONDITION,
            c.span(),
            "unknown retry condition \""
                + c.text()
                + "\"; valid conditions: "
                + String.join(", ", RETRY_CONDITIONS));
      } else if (!seen.add(c.text())) {
        error(
            UNKNOWN_RETRY_CONDITION,
            c.span(),
            "retry condition \"" + c.text() + "\" is listed twice");
      }
    }
    r.perTry().ifPresent(this::checkDuration);
  }

  private void retryBudget(RouteStmt.Retry retry, RouteStmt.Timeout timeout, String where) {
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
      warning(
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
              + format(total)
              + ", longer than "
              + which
              + ", so "
              + (tries == 2 ? "the retry" : "the last retries")
              + " would be cut off; lower `per-try` or the"
              + " number of retries, or raise the timeout");
    }
  }

  private void rewrite(RouteDecl route, RouteStmt.Rewrite r) {
    for (StringLit s : List.of(r.from(), r.to())) {
      if (!s.value().startsWith("/")) {
        error(
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
        warning(
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

  // ------------------------------------------------------------------ whole-policy analysis

  /** A gateway listener, with the address `:PORT` stands for. */
  private record Bound(String gateway, String address, GatewayStmt.Listen listen) {
    static Bound of(String gateway, GatewayStmt.Listen l) {
      return new Bound(gateway, l.address().map(GatewayStmt.Address::text).orElse("0.0.0.0"), l);
    }

    boolean clashes(Bound other) {
      return !gateway.equals(other.gateway)
          && listen.port().value() == other.listen.port().value()
          && (address.equals(other.address)
              || address.equals("0.0.0.0")
              || other.address.equals("0.0.0.0"));
    }

    String written() {
      return "listen "
          + listen.address().map(GatewayStmt.Address::text).orElse("")
          + ":"
          + listen.port().text();
    }
  }

  /**
   * Two gateways binding the same port, on the same address or with one on every address: one
   * machine cannot run both. (Within one gateway MG207 reports it.) Sidecars are not compared with
   * gateways: they run next to their application, not next to the gateway.
   */
  private void listenerCollisions() {
    List<Bound> bound = new ArrayList<>();
    for (GatewayDecl g : gateways.values()) {
      for (GatewayStmt stmt : g.body()) {
        if (!(stmt instanceof GatewayStmt.Listen l)
            || l.port().value() < 1
            || l.port().value() > 65535) {
          continue;
        }
        Bound b = Bound.of(g.name().text(), l);
        Optional<Bound> clash = bound.stream().filter(b::clashes).findFirst();
        if (clash.isPresent()) {
          current = fileOf(l.span());
          error(
              LISTENER_COLLISION,
              l.span(),
              "`"
                  + b.written()
                  + "` of gateway \""
                  + b.gateway()
                  + "\" collides with `"
                  + clash.get().written()
                  + "` of gateway \""
                  + clash.get().gateway()
                  + "\" at "
                  + at(clash.get().listen().span())
                  + ": both cannot bind it on one machine; give each gateway its own port (if they run on different"
                  + " machines, say so with `# meshgate:ignore MG702 REASON`)");
        }
        bound.add(b);
      }
    }
  }

  /**
   * Services nothing refers to (no route target, rule or call) and subsets no route sends to. A
   * subset of an unused service is not reported again.
   */
  private void unused() {
    Set<String> usedServices = new java.util.HashSet<>();
    Set<String> usedClusters = new java.util.HashSet<>();
    for (PolicyFile file : files) {
      for (Decl decl : file.decls()) {
        switch (decl) {
          case GatewayDecl g -> {
            for (GatewayStmt stmt : g.body()) {
              if (stmt instanceof GatewayStmt.Host h) {
                for (RouteDecl route : h.routes()) {
                  for (RouteStmt rs : route.body()) {
                    if (rs instanceof RouteStmt.To to) {
                      to.targets()
                          .forEach(t -> {
                            usedServices.add(t.service().text());
                            usedClusters.add(t.cluster());
                          });
                    }
                  }
                }
              }
            }
          }
          case RuleDecl rule -> {
            usedServices.add(rule.source().text());
            usedServices.add(rule.destination().text());
          }
          case CallDecl call -> {
            usedServices.add(call.caller().text());
            usedServices.add(call.callee().text());
          }
          default -> {}
        }
      }
    }
    for (ServiceDecl service : services.values()) {
      String name = service.name().text();
      current = fileOf(service.name().span());
      if (!usedServices.contains(name)) {
        warning(
            UNUSED_SERVICE,
            service.name().span(),
            "service \""
                + name
                + "\" is declared but never used: no route sends to it and no rule or call names it;"
                + " remove it, or add what was meant to use it");
        continue;
      }
      for (ServiceStmt.SubsetStmt subset : subsets.getOrDefault(name, Map.of()).values()) {
        if (!usedClusters.contains(name + "." + subset.name().text())) {
          warning(
              UNUSED_SUBSET,
              subset.name().span(),
              "subset \""
                  + subset.name().text()
                  + "\" of service \""
                  + name
                  + "\" is declared but no route sends to it;"
                  + " remove it, or use it in a `to` like `to "
                  + name
                  + "."
                  + subset.name().text()
                  + "`");
        }
      }
    }
  }

  // ------------------------------------------------------------------ sidecars

  private Sidecar sidecar(String service, ServiceStmt.Sidecar block) {
    Map<ServiceStmt.SidecarStmt.Kind, ServiceStmt.SidecarStmt> seen =
        new java.util.EnumMap<>(ServiceStmt.SidecarStmt.Kind.class);
    for (ServiceStmt.SidecarStmt stmt : block.body()) {
      checkPort(stmt.port());
      stmt.address().ifPresent(a -> checkAddress(a.text(), a.span()));
      ServiceStmt.SidecarStmt before = seen.putIfAbsent(stmt.kind(), stmt);
      if (before != null) {
        error(
            DUPLICATE_SIDECAR_SETTING,
            stmt.span(),
            "the sidecar of service \""
                + service
                + "\" has more than one `"
                + stmt.kind().keyword()
                + "`; the first is at "
                + at(before.span()));
      }
    }
    Sidecar sidecar =
        new Sidecar(
            block,
            Optional.ofNullable(seen.get(ServiceStmt.SidecarStmt.Kind.INBOUND)),
            Optional.ofNullable(seen.get(ServiceStmt.SidecarStmt.Kind.APP)),
            Optional.ofNullable(seen.get(ServiceStmt.SidecarStmt.Kind.OUTBOUND)));
    if (current.complete() && sidecar.inbound().isEmpty()) {
      error(
          SIDECAR_INCOMPLETE,
          block.span(),
          "the sidecar of service \""
              + service
              + "\" has no `inbound`, the port callers reach it on; add one like `inbound :15101`");
    }
    if (current.complete() && sidecar.app().isEmpty()) {
      error(
          SIDECAR_INCOMPLETE,
          block.span(),
          "the sidecar of service \""
              + service
              + "\" has no `app`, the address of the application it serves; add one like `app 127.0.0.1:9101`");
    }
    // One sidecar runs on one host: its three addresses must not share a port.
    List<SocketUse> uses = new ArrayList<>();
    sidecar.inbound().ifPresent(i -> uses.add(SocketUse.of(i, "0.0.0.0")));
    sidecar.app().ifPresent(a -> uses.add(SocketUse.of(a, DEFAULT_OUTBOUND_ADDRESS)));
    uses.add(
        sidecar
            .outbound()
            .map(o -> SocketUse.of(o, DEFAULT_OUTBOUND_ADDRESS))
            .orElse(
                new SocketUse(
                    "outbound",
                    DEFAULT_OUTBOUND_ADDRESS,
                    DEFAULT_OUTBOUND_PORT,
                    " (the default)",
                    block.span())));
    for (int i = 0; i < uses.size(); i++) {
      for (int j = 0; j < i; j++) {
        SocketUse a = uses.get(j);
        SocketUse b = uses.get(i);
        if (a.clashes(b)) {
          SocketUse reported = b.note().isEmpty() ? b : a;
          SocketUse other = reported == b ? a : b;
          error(
              SIDECAR_PORT_CLASH,
              reported.span(),
              "`"
                  + reported.keyword()
                  + " "
                  + reported.address()
                  + ":"
                  + reported.port()
                  + "`"
                  + reported.note()
                  + " uses the same port as `"
                  + other.keyword()
                  + " "
                  + other.address()
                  + ":"
                  + other.port()
                  + "`"
                  + other.note()
                  + " in the sidecar of service \""
                  + service
                  + "\"; give each its own port");
        }
      }
    }
    return sidecar;
  }

  /** An address a sidecar binds or connects to, for clash checks. */
  private record SocketUse(String keyword, String address, long port, String note, Span span) {
    static SocketUse of(ServiceStmt.SidecarStmt stmt, String defaultAddress) {
      return new SocketUse(
          stmt.kind().keyword(),
          stmt.address().map(GatewayStmt.Address::text).orElse(defaultAddress),
          stmt.port().value(),
          "",
          stmt.span());
    }

    boolean clashes(SocketUse other) {
      return port == other.port
          && (address.equals(other.address)
              || address.equals("0.0.0.0")
              || other.address.equals("0.0.0.0"));
    }
  }

  /**
   * Two sidecars whose inbound is written with the same specific address and port cannot both
   * exist: callers could not tell them apart. Wildcard and default addresses are not compared,
   * since sidecars normally run on different hosts.
   */
  private void sidecarClashesAcrossServices() {
    Map<String, String> byAddress = new HashMap<>();
    for (var entry : sidecars.entrySet()) {
      Optional<ServiceStmt.SidecarStmt> inbound = entry.getValue().inbound();
      if (inbound.isEmpty()
          || inbound.get().address().isEmpty()
          || inbound.get().address().get().text().equals("0.0.0.0")) {
        continue;
      }
      String key = inbound.get().address().get().text() + ":" + inbound.get().port().value();
      String before = byAddress.putIfAbsent(key, entry.getKey());
      if (before != null) {
        current = fileOf(inbound.get().span());
        error(
            SIDECAR_PORT_CLASH,
            inbound.get().span(),
            "`inbound "
                + key
                + "` of service \""
                + entry.getKey()
                + "\" is also the inbound of service \""
                + before
                + "\" at "
                + at(sidecars.get(before).inbound().get().span())
                + "; each sidecar needs its own address");
      }
    }
  }

  // ------------------------------------------------------------------ mesh

  private void mesh() {
    MeshDecl first = null;
    for (PolicyFile file : files) {
      current = file;
      for (Decl decl : file.decls()) {
        if (!(decl instanceof MeshDecl mesh)) {
          continue;
        }
        mesh.name().ifPresent(n -> checkName(n, "mesh"));
        if (first != null) {
          error(
              DUPLICATE_MESH,
              mesh.span(),
              "duplicate mesh block; it is first declared at "
                  + at(first.span())
                  + "; a policy has one mesh");
        }
        Map<String, MeshStmt> seen = new HashMap<>();
        for (MeshStmt stmt : mesh.body()) {
          MeshStmt before = seen.putIfAbsent(stmt.keyword(), stmt);
          if (before != null) {
            error(
                DUPLICATE_MESH_SETTING,
                stmt.span(),
                "duplicate `"
                    + stmt.keyword()
                    + "` in the mesh block; the first is at "
                    + at(before.span()));
            continue;
          }
          switch (stmt) {
            case MeshStmt.TrustDomain t -> checkTrustDomain(t.domain());
            case MeshStmt.Mtls m -> {
              switch (m.mode().text()) {
                case "strict" -> strictMtls = first == null ? true : strictMtls;
                case "permissive" -> strictMtls = first == null ? false : strictMtls;
                default ->
                    error(
                        UNKNOWN_MTLS_MODE,
                        m.mode().span(),
                        "unknown mtls mode \""
                            + m.mode().text()
                            + "\"; use strict (only mTLS) or permissive (mTLS and plaintext)");
              }
            }
            case MeshStmt.AuthzDefault a -> {
              switch (a.value().text()) {
                case "deny" -> defaultDeny = first == null ? true : defaultDeny;
                case "allow" -> defaultDeny = first == null ? false : defaultDeny;
                default ->
                    error(
                        UNKNOWN_AUTHZ_DEFAULT,
                        a.value().span(),
                        "unknown authz default \""
                            + a.value().text()
                            + "\"; use deny (a request needs an allow rule) or allow");
              }
            }
          }
        }
        if (first == null) {
          first = mesh;
        }
      }
    }
  }

  /**
   * SPIFFE trust domains: lower-case letters, digits, '.', '-' and '_'; no scheme, port or path.
   */
  private static final Pattern TRUST_DOMAIN =
      Pattern.compile("[a-z0-9]([a-z0-9._-]{0,253}[a-z0-9])?");

  private void checkTrustDomain(StringLit domain) {
    if (!TRUST_DOMAIN.matcher(domain.value()).matches()) {
      error(
          INVALID_TRUST_DOMAIN,
          domain.span(),
          "invalid trust domain \""
              + domain.value()
              + "\"; write a lower-case name like \"shop.example\" (letters, digits,"
              + " '.', '-', '_'), without \"spiffe://\", port or path");
    }
  }

  // ------------------------------------------------------------------ authorization rules

  private List<CheckedRule> rules() {
    List<CheckedRule> checked = new ArrayList<>();
    for (PolicyFile file : files) {
      current = file;
      for (Decl decl : file.decls()) {
        if (decl instanceof RuleDecl rule && rule(rule)) {
          checked.add(new CheckedRule(rule, RuleCoverage.Scope.of(rule), file));
        }
      }
    }
    return checked;
  }

  /** Checks one rule; true when every name in it resolved (so later analysis may use it). */
  private boolean rule(RuleDecl rule) {
    boolean ok = true;
    if (rule.effect() == RuleDecl.Effect.ALLOW && rule.dryRun().isPresent()) {
      error(
          DRY_RUN_ALLOW,
          rule.dryRun().get(),
          "`dry-run` applies to deny rules only: it records what a deny would block; write `deny dry-run …`, or drop `dry-run`");
      ok = false;
    }
    if (rule.source() instanceof RuleDecl.Source.Named named) {
      ok &= peer(named.name(), rule);
    }
    ok &= destination(rule.destination(), "rule");
    Set<String> methods = new TreeSet<>();
    for (Name m : rule.methods()) {
      if (!methods.add(m.text())) {
        error(DUPLICATE_METHOD, m.span(), "method " + m.text() + " is listed twice in this rule");
      }
    }
    if (isTcp(rule.destination().text())
        && (!rule.methods().isEmpty() || !rule.paths().isEmpty())) {
      Span at =
          !rule.methods().isEmpty()
              ? rule.methods().getFirst().span()
              : rule.paths().getFirst().span();
      error(
          TCP_RULE_REQUEST_MATCH,
          at,
          "service \""
              + rule.destination().text()
              + "\" speaks `protocol tcp`: its sidecar sees connections, not requests,"
              + " so a rule can only match the peer's identity; drop the methods and paths (`"
              + rule.effect().keyword()
              + (rule.isDryRun() ? " dry-run " : " ")
              + rule.source().text()
              + " -> "
              + rule.destination().text()
              + "`)");
    }
    for (RouteDecl.PathPattern.Literal path : rule.paths()) {
      checkPath(path, false);
      ok &=
          !path.text()
              .substring(
                  0, path.text().endsWith("/**") ? path.text().length() - 3 : path.text().length())
              .contains("*");
    }
    return ok;
  }

  /**
   * A rule's source: a service or a gateway; a service must have a sidecar to carry an identity.
   */
  private boolean peer(Name name, RuleDecl rule) {
    String text = name.text();
    if (gateways.containsKey(text)) {
      return true;
    }
    if (!services.containsKey(text)) {
      error(
          UNKNOWN_PEER, name.span(), "unknown service or gateway \"" + text + "\"; " + declared());
      return false;
    }
    if (!sidecars.containsKey(text)) {
      if (strictMtls && rule.effect() == RuleDecl.Effect.ALLOW) {
        error(
            STRICT_MTLS_PEER_WITHOUT_SIDECAR,
            name.span(),
            "service \""
                + text
                + "\" has no sidecar, so under `mtls strict` its requests cannot present a certificate and"
                + " are refused before this allow is checked; add a `sidecar { … }` block to \""
                + text
                + "\" or use `mtls permissive`");
      } else {
        warning(
            PEER_WITHOUT_IDENTITY,
            name.span(),
            "service \""
                + text
                + "\" has no sidecar, so its requests carry no identity and this rule can never match"
                + " them; add a `sidecar { … }` block to \""
                + text
                + "\"");
      }
    }
    return true;
  }

  /**
   * A rule's or call's destination: a service; for rules it must have a sidecar to enforce them.
   */
  private boolean destination(Name name, String what) {
    String text = name.text();
    if (gateways.containsKey(text) && !services.containsKey(text)) {
      error(
          DESTINATION_WITHOUT_SIDECAR,
          name.span(),
          "\""
              + text
              + "\" is a gateway, not a service; the destination of a "
              + what
              + " is a service with a sidecar");
      return false;
    }
    if (!services.containsKey(text)) {
      String known =
          services.isEmpty()
              ? "no services are declared"
              : "declared services: " + String.join(", ", new TreeSet<>(services.keySet()));
      error(UNKNOWN_SERVICE, name.span(), "unknown service \"" + text + "\"; " + known);
      return false;
    }
    if (what.equals("rule") && !sidecars.containsKey(text)) {
      error(
          DESTINATION_WITHOUT_SIDECAR,
          name.span(),
          "service \""
              + text
              + "\" has no sidecar, so nothing can enforce this rule; add a `sidecar { … }` block to \""
              + text
              + "\"");
      return false;
    }
    return true;
  }

  private String declared() {
    String svc =
        services.isEmpty()
            ? "no services"
            : "services: " + String.join(", ", new TreeSet<>(services.keySet()));
    String gw =
        gateways.isEmpty()
            ? "no gateways"
            : "gateways: " + String.join(", ", new TreeSet<>(gateways.keySet()));
    return "declared " + svc + "; " + gw;
  }

  /**
   * Rules that can never decide anything (warnings, conservative). Deny rules are checked before
   * allow rules and any matching deny wins, so: a repeated rule; an allow whose every request a
   * deny already denies; a deny inside a broader deny; an allow inside a broader allow from the
   * same source (an allow from `*` does not make a named allow useless: the named one also lets the
   * source's sidecar reach the destination).
   */
  private void coverage(List<CheckedRule> rules) {
    for (int i = 0; i < rules.size(); i++) {
      CheckedRule r = rules.get(i);
      current = r.file();
      String why = null;
      for (int j = 0; j < i && why == null; j++) {
        CheckedRule e = rules.get(j);
        if (sameKind(e, r)
            && RuleCoverage.covers(e.scope(), r.scope())
            && RuleCoverage.covers(r.scope(), e.scope())) {
          why = "this rule repeats the rule at " + at(e.rule().span());
        }
      }
      if (why == null && r.rule().effect() == RuleDecl.Effect.ALLOW) {
        Optional<CheckedRule> same =
            rules.stream()
                .filter(d ->
                    d.rule().effect() == RuleDecl.Effect.DENY
                        && !d.rule().isDryRun()
                        && RuleCoverage.covers(d.scope(), r.scope())
                        && RuleCoverage.covers(r.scope(), d.scope()))
                .findFirst();
        if (same.isPresent()) {
          warning(
              RULES_CONTRADICT,
              r.rule().span(),
              "this allow contradicts the deny at "
                  + at(same.get().rule().span())
                  + ", which has exactly the same scope; deny rules win, so this allow is dead: remove one of the two");
          continue;
        }
        for (CheckedRule d : rules) {
          if (d.rule().effect() == RuleDecl.Effect.DENY
              && !d.rule().isDryRun()
              && RuleCoverage.covers(d.scope(), r.scope())) {
            why =
                "this allow never lets a request through: the deny at "
                    + at(d.rule().span())
                    + " matches every request it allows, and deny rules are checked first";
            break;
          }
        }
      }
      if (why == null) {
        for (CheckedRule b : rules) {
          if (b == r
              || !sameKind(b, r)
              || !RuleCoverage.covers(b.scope(), r.scope())
              || RuleCoverage.covers(r.scope(), b.scope())) {
            continue;
          }
          if (r.rule().effect() == RuleDecl.Effect.DENY) {
            why =
                "this deny never decides anything: the broader deny at "
                    + at(b.rule().span())
                    + " already matches every request it matches";
            break;
          }
          if (b.scope().source().equals(r.scope().source())) {
            why =
                "this allow adds nothing: the broader allow at "
                    + at(b.rule().span())
                    + " already lets through every request it matches";
            break;
          }
        }
      }
      if (why != null) {
        warning(RULE_NEVER_APPLIES, r.rule().span(), why);
      }
    }
  }

  private static boolean sameKind(CheckedRule a, CheckedRule b) {
    return a.rule().effect() == b.rule().effect() && a.rule().isDryRun() == b.rule().isDryRun();
  }

  // ------------------------------------------------------------------ calls

  private void calls(List<CheckedRule> rules) {
    Map<String, CallDecl> seen = new HashMap<>();
    for (PolicyFile file : files) {
      current = file;
      for (Decl decl : file.decls()) {
        if (decl instanceof CallDecl call) {
          call(call, rules, seen);
        }
      }
    }
    tcpCallsNeedPorts(rules, seen);
  }

  /**
   * A sidecar reaches a {@code tcp} callee on a local port of its own, which only a {@code call … {
   * port … }} declares: an {@code allow A -> db} that makes {@code db} a callee of {@code A} needs
   * one. (A call without a port is reported by {@link #call}.)
   */
  private void tcpCallsNeedPorts(List<CheckedRule> rules, Map<String, CallDecl> calls) {
    Set<String> reported = new java.util.HashSet<>();
    for (CheckedRule r : rules) {
      RuleDecl rule = r.rule();
      String callee = rule.destination().text();
      if (rule.effect() != RuleDecl.Effect.ALLOW
          || !(rule.source() instanceof RuleDecl.Source.Named n)
          || !sidecars.containsKey(n.name().text())
          || !isTcp(callee)
          || calls.containsKey(n.name().text() + " -> " + callee)
          || !reported.add(n.name().text() + " -> " + callee)) {
        continue;
      }
      current = r.file();
      String caller = n.name().text();
      error(
          TCP_CALL_WITHOUT_PORT,
          rule.span(),
          "service \""
              + callee
              + "\" speaks `protocol tcp`, so the sidecar of \""
              + caller
              + "\" reaches it on a local port"
              + " of its own, and none is declared; add `call "
              + caller
              + " -> "
              + callee
              + " { port 15432 }` (any free port)"
              + " and connect the app to that port");
    }
  }

  private void call(CallDecl call, List<CheckedRule> rules, Map<String, CallDecl> seen) {
    String caller = call.caller().text();
    String callee = call.callee().text();
    boolean ok = true;
    if (gateways.containsKey(caller) && !services.containsKey(caller)) {
      error(
          CALLER_WITHOUT_SIDECAR,
          call.caller().span(),
          "\""
              + caller
              + "\" is a gateway; gateways send traffic with `route`, and `call` configures the sidecar of a service");
      ok = false;
    } else if (!services.containsKey(caller)) {
      String known =
          services.isEmpty()
              ? "no services are declared"
              : "declared services: " + String.join(", ", new TreeSet<>(services.keySet()));
      error(UNKNOWN_SERVICE, call.caller().span(), "unknown service \"" + caller + "\"; " + known);
      ok = false;
    } else if (!sidecars.containsKey(caller)) {
      error(
          CALLER_WITHOUT_SIDECAR,
          call.caller().span(),
          "service \""
              + caller
              + "\" has no sidecar, so no proxy makes its calls; add a `sidecar { … }` block to \""
              + caller
              + "\"");
      ok = false;
    }
    ok &= destination(call.callee(), "call");
    CallDecl before = seen.putIfAbsent(caller + " -> " + callee, call);
    if (before != null) {
      error(
          DUPLICATE_CALL,
          call.span(),
          "duplicate `call "
              + caller
              + " -> "
              + callee
              + "`; it is first declared at "
              + at(before.span())
              + "; merge their settings");
    }
    Map<String, RouteStmt> settings = new HashMap<>();
    RouteStmt.Timeout timeout = null;
    RouteStmt.Retry retry = null;
    RouteStmt.Port port = null;
    for (RouteStmt stmt : call.body()) {
      switch (stmt) {
        case RouteStmt.Timeout t -> {
          if (setting(settings, t, "call")) {
            timeout = t;
          }
          checkDuration(t.duration());
        }
        case RouteStmt.Retry r -> {
          if (setting(settings, r, "call")) {
            retry = r;
          }
          retry(r);
        }
        case RouteStmt.Port p -> {
          if (setting(settings, p, "call")) {
            port = p;
          }
          checkPort(p.port());
        }
        default -> {}
      }
    }
    boolean tcp = isTcp(callee);
    if (tcp) {
      for (RouteStmt stmt :
          List.of(Optional.<RouteStmt>ofNullable(timeout), Optional.<RouteStmt>ofNullable(retry))
              .stream()
              .flatMap(Optional::stream)
              .toList()) {
        error(
            TCP_CALL_HTTP_SETTING,
            stmt.span(),
            "`"
                + stmt.keyword()
                + "` applies to HTTP requests, but service \""
                + callee
                + "\" speaks `protocol tcp`, where"
                + " the sidecar only relays a connection; remove it");
      }
      if (port == null && current.complete()) {
        error(
            TCP_CALL_WITHOUT_PORT,
            call.span(),
            "service \""
                + callee
                + "\" speaks `protocol tcp`, so the sidecar of \""
                + caller
                + "\" reaches it on a local"
                + " port of its own; add one like `call "
                + caller
                + " -> "
                + callee
                + " { port 15432 }` and connect the app"
                + " to that port");
      }
    } else if (port != null && services.containsKey(callee)) {
      error(
          CALL_PORT_NOT_TCP,
          port.span(),
          "`port` declares the local port for a `protocol tcp` callee, but service \""
              + callee
              + "\" speaks HTTP, which"
              + " the app reaches by name through the outbound listener (http://"
              + callee
              + "/); remove it");
    }
    if (tcp && port != null && sidecars.containsKey(caller)) {
      tcpPortClash(caller, call, port);
    }
    if (retry != null && !tcp) {
      retryBudget(retry, timeout, "call");
    }
    if (!ok || !sidecars.containsKey(callee)) {
      return; // an unmeshed callee has no sidecar to authorize anything
    }
    for (CheckedRule d : rules) {
      if (d.rule().effect() == RuleDecl.Effect.DENY
          && !d.rule().isDryRun()
          && d.scope().destination().equals(callee)
          && RuleCoverage.coversAllFrom(d.scope(), caller)) {
        error(
            CALL_NOT_ALLOWED,
            call.span(),
            "service \""
                + caller
                + "\" may not call \""
                + callee
                + "\": the deny at "
                + at(d.rule().span())
                + " blocks every request from it; remove the call or narrow the deny");
        return;
      }
    }
    if (defaultDeny) {
      boolean allowed =
          rules.stream()
              .anyMatch(a ->
                  a.rule().effect() == RuleDecl.Effect.ALLOW
                      && a.scope().destination().equals(callee)
                      && (a.scope().source().equals("*") || a.scope().source().equals(caller)));
      if (!allowed) {
        error(
            CALL_NOT_ALLOWED,
            call.span(),
            "service \""
                + caller
                + "\" may not call \""
                + callee
                + "\": under `authz default deny` no allow rule lets it"
                + " through; add `allow "
                + caller
                + " -> "
                + callee
                + "`");
      }
    }
  }

  /** The local ports of each sidecar's tcp calls so far, for clash checks. */
  private final Map<String, List<SocketUse>> tcpPorts = new HashMap<>();

  /**
   * A tcp call's port is bound by the caller's sidecar on its outbound address: it must not be the
   * port of the sidecar's inbound, app or outbound, nor another tcp call's.
   */
  private void tcpPortClash(String caller, CallDecl call, RouteStmt.Port port) {
    Sidecar sidecar = sidecars.get(caller);
    String address =
        sidecar
            .outbound()
            .flatMap(ServiceStmt.SidecarStmt::address)
            .map(GatewayStmt.Address::text)
            .orElse(DEFAULT_OUTBOUND_ADDRESS);
    SocketUse use =
        new SocketUse(
            "port",
            address,
            port.port().value(),
            " (of `call " + caller + " -> " + call.callee().text() + "`)",
            port.span());
    List<SocketUse> others = new ArrayList<>();
    sidecar.inbound().ifPresent(i -> others.add(SocketUse.of(i, "0.0.0.0")));
    sidecar.app().ifPresent(a -> others.add(SocketUse.of(a, DEFAULT_OUTBOUND_ADDRESS)));
    others.add(
        sidecar
            .outbound()
            .map(o -> SocketUse.of(o, DEFAULT_OUTBOUND_ADDRESS))
            .orElse(
                new SocketUse(
                    "outbound",
                    DEFAULT_OUTBOUND_ADDRESS,
                    DEFAULT_OUTBOUND_PORT,
                    " (the default)",
                    sidecar.block().span())));
    List<SocketUse> calls = tcpPorts.computeIfAbsent(caller, k -> new ArrayList<>());
    others.addAll(calls);
    for (SocketUse other : others) {
      if (use.clashes(other)) {
        error(
            SIDECAR_PORT_CLASH,
            port.span(),
            "`port "
                + port.port().text()
                + "`"
                + use.note()
                + " is bound on "
                + address
                + ", and uses the same port as `"
                + other.keyword()
                + " "
                + other.address()
                + ":"
                + other.port()
                + "`"
                + other.note()
                + " in the sidecar of service \""
                + caller
                + "\"; give each its own port");
        return;
      }
    }
    calls.add(use);
  }

  /** True when the service's (first) declaration says {@code protocol tcp}. */
  private boolean isTcp(String service) {
    ServiceDecl decl = services.get(service);
    return decl != null
        && decl.body().stream()
            .filter(ServiceStmt.ProtocolStmt.class::isInstance)
            .map(ServiceStmt.ProtocolStmt.class::cast)
            .findFirst()
            .map(p -> p.protocol().text().equals("tcp"))
            .orElse(false);
  }

  private PolicyFile fileOf(Span span) {
    return files.stream()
        .filter(f -> f.source().name().equals(span.file()))
        .findFirst()
        .orElse(current);
  }

  // ------------------------------------------------------------------ values

  private void checkName(Name name, String what) {
    if (!NAME.matcher(name.text()).matches()) {
      error(
          INVALID_NAME,
          name.span(),
          "invalid "
              + what
              + " name \""
              + name.text()
              + "\"; names use lower-case letters, digits and '-', and start with a letter");
    }
  }

  private void checkPort(NumberLit port) {
    if (port.value() < 1 || port.value() > 65535) {
      error(
          PORT_OUT_OF_RANGE,
          port.span(),
          "port " + port.text() + " is out of range; use a port from 1 to 65535");
    }
  }

  private void checkAddress(String address, Span span) {
    var m = IPV4.matcher(address);
    if (m.matches()) {
      for (int i = 1; i <= 4; i++) {
        if (m.group(i).length() > 3 || Integer.parseInt(m.group(i)) > 255) {
          error(
              INVALID_ADDRESS,
              span,
              "invalid IP address " + address + "; each part must be from 0 to 255");
          return;
        }
      }
    }
  }

  private void checkDuration(DurationLit d) {
    String unit = d.unit();
    if (!unit.equals("ms") && !unit.equals("s") && !unit.equals("m")) {
      error(
          UNKNOWN_DURATION_UNIT,
          d.span(),
          "unknown duration unit \""
              + unit
              + "\" in "
              + d.text()
              + "; use ms, s or m, like 250ms, 2s or 1m");
      return;
    }
    Optional<Duration> value = d.value();
    if (value.isEmpty()) {
      error(
          DURATION_OUT_OF_RANGE,
          d.span(),
          "duration " + d.text() + " is too long; the longest allowed is 365 days");
    } else if (value.get().isZero()) {
      error(
          DURATION_OUT_OF_RANGE,
          d.span(),
          "duration " + d.text() + " is zero; a duration must be at least 1ms");
    }
  }

  private void checkPath(RouteDecl.PathPattern.Literal path, boolean regexAllowed) {
    String p = path.text();
    String fixed = p.endsWith("/**") ? p.substring(0, p.length() - 3) : p;
    if (fixed.contains("*")) {
      error(
          INVALID_PATH,
          path.span(),
          "invalid path "
              + p
              + ": '*' may only appear as a final /**, as in /api/**"
              + (regexAllowed ? "; use ~ \"regex\" for other patterns" : ""));
    }
  }

  private void checkHeaderName(StringLit name) {
    String n = name.value();
    if (!HEADER_NAME.matcher(n).matches()) {
      String lower = n.toLowerCase(java.util.Locale.ROOT);
      String hint =
          !lower.equals(n) && HEADER_NAME.matcher(lower).matches()
              ? "header names are written in lower case: \"" + lower + "\""
              : "header names use lower-case letters, digits and - _ . ! # $ % & ' * + ^ ` | ~";
      error(INVALID_HEADER_NAME, name.span(), "invalid header name \"" + n + "\"; " + hint);
    }
  }

  /**
   * Envoy uses RE2: {@link RegexSyntax} checks by RE2's rules (RE2/J), never running a JDK regex
   * built from policy text (issue 9).
   */
  private void checkRegex(StringLit lit) {
    RegexSyntax.check(lit.value())
        .ifPresent(p -> error(INVALID_REGEX, insideString(lit, p.index()), p.message()));
  }

  /** The span of character {@code index} of a string's value, mapped back through escapes. */
  private static Span insideString(StringLit lit, int index) {
    String raw = lit.raw();
    int rawPos = 1;
    for (int i = 0; i < index && rawPos < raw.length(); i++) {
      if (raw.charAt(rawPos) == '\\'
          && rawPos + 1 < raw.length()
          && (raw.charAt(rawPos + 1) == '"' || raw.charAt(rawPos + 1) == '\\')) {
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
   * Where an earlier construct is, for a message: "line 3" in the same file, "other.mesh:3" across
   * files. Uses the file being checked as "here".
   */
  private String at(Span span) {
    return span.file().equals(current.source().name())
        ? "line " + span.line()
        : span.file() + ":" + span.line();
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
