package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.TestCodes.*;

import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.Decl;
import dev.meshgate.compiler.ast.ExpectStmt;
import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.PolicyFile;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.ServiceDecl;
import dev.meshgate.compiler.ast.ServiceStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.compiler.ast.TestDecl;
import dev.meshgate.compiler.simulate.VirtualHosts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks {@code test} blocks (MG8xx): every name an expectation uses exists, outcomes fit the kind
 * of request, splits are well formed, values are valid. Runs after the policy's own checks; a name
 * the policy itself declares twice is resolved to its first declaration, as everywhere else.
 */
public final class TestChecker {
  private static final Pattern HEADER_NAME = Pattern.compile("[a-z0-9!#$%&'*+.^_`|~-]+");

  /** A concrete request host, optionally with a port (Envoy strips it before matching). */
  private static final Pattern REQUEST_HOST =
      Pattern.compile(
          "[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?");

  private static final Set<Integer> REDIRECT_STATUSES = Set.of(301, 302, 303, 307, 308);

  private final Map<String, ServiceDecl> services = new LinkedHashMap<>();
  private final Map<String, GatewayDecl> gateways = new LinkedHashMap<>();
  private final Set<String> sidecars = new HashSet<>();
  private final List<Diagnostic> out = new ArrayList<>();
  private PolicyFile current = CheckContext.NO_FILE;

  private TestChecker() {}

  public static List<Diagnostic> check(List<PolicyFile> files) {
    TestChecker checker = new TestChecker();
    checker.run(files);
    return List.copyOf(checker.out);
  }

  private void run(List<PolicyFile> files) {
    // Most policies a server reloads have no tests, and the index below is a walk of every
    // service's body, on every reload (issue 17.1).
    if (files.stream().allMatch(f -> f.decls().stream().noneMatch(TestDecl.class::isInstance))) {
      return;
    }
    for (PolicyFile file : files) {
      for (Decl decl : file.decls()) {
        switch (decl) {
          case ServiceDecl s -> {
            if (services.putIfAbsent(s.name().text(), s) == null
                && s.body().stream().anyMatch(ServiceStmt.Sidecar.class::isInstance)) {
              sidecars.add(s.name().text());
            }
          }
          case GatewayDecl g -> gateways.putIfAbsent(g.name().text(), g);
          default -> {}
        }
      }
    }
    Map<String, Span> names = new HashMap<>();
    for (PolicyFile file : files) {
      current = file;
      for (Decl decl : file.decls()) {
        if (decl instanceof TestDecl test) {
          Span first = names.putIfAbsent(test.name().value(), test.name().span());
          if (first != null) {
            warning(
                DUPLICATE_TEST,
                test.name().span(),
                "another test is also named \""
                    + test.name().value()
                    + "\" (at "
                    + at(first)
                    + "); give each test its own name so failures say which one broke");
          }
          if (test.expects().isEmpty() && file.complete()) {
            warning(
                EMPTY_TEST,
                test.span(),
                "test \""
                    + test.name().value()
                    + "\" has no `expect`, so it checks nothing; add one like"
                    + " `expect GET api.example/ via edge => catalog`");
          }
          test.expects().forEach(this::expect);
        }
      }
    }
  }

  // ------------------------------------------------------------------ one expectation

  private void expect(ExpectStmt expect) {
    path(expect.request().path());
    for (ExpectStmt.Option option : expect.options()) {
      switch (option) {
        case ExpectStmt.Option.Header h -> {
          headerName(h.name());
          if (h.name().value().equals("host") || h.name().value().startsWith(":")) {
            error(
                INVALID_VALUE,
                h.name().span(),
                "the request's host is written before its path, like `GET api.example/path`; it cannot be"
                    + " set with `with header`");
          }
        }
        case ExpectStmt.Option.Query q -> {
          if (q.name().value().isEmpty()) {
            error(
                INVALID_VALUE,
                q.name().span(),
                "query parameter name is empty; write the parameter's name, like \"q\"");
          }
        }
        case ExpectStmt.Option.ApiKey k -> TestCredentials.apiKey(expect, k, this::error);
        case ExpectStmt.Option.BasicAuth b -> TestCredentials.basicAuth(expect, b, this::error);
        case ExpectStmt.Option.Jwt j -> TestCredentials.jwt(expect, j, this::error);
      }
    }
    expect.checks().forEach(c -> headerName(c.name()));
    expect.burst().ifPresent(n -> TestBurst.check(expect, n, this::error));
    switch (expect.request()) {
      case ExpectStmt.Request.Gateway g -> viaGateway(expect, g);
      case ExpectStmt.Request.Call c -> call(expect, c);
    }
    outcome(expect.outcome());
  }

  private void viaGateway(ExpectStmt expect, ExpectStmt.Request.Gateway request) {
    String host = request.host().text().toLowerCase(java.util.Locale.ROOT);
    boolean hostOk = REQUEST_HOST.matcher(host).matches();
    if (!hostOk) {
      error(
          INVALID_VALUE,
          request.host().span(),
          "invalid request host \""
              + request.host().text()
              + "\"; a test request has one concrete host, like"
              + " api.example or \"api.example:8080\" (no wildcards)");
    }
    if (expect.outcome() instanceof ExpectStmt.Outcome.Verdict v) {
      error(
          OUTCOME_DOES_NOT_FIT,
          v.span(),
          "`"
              + v.word().text()
              + "` is the verdict of an east-west call (`expect orders -> catalog GET /path => "
              + v.word().text()
              + "`); a request through a gateway expects a service like catalog.v1, a status like"
              + " 404, or a redirect");
    }
    if (expect.outcome() instanceof ExpectStmt.Outcome.Fault f) {
      for (ExpectStmt.HeaderCheck check : expect.checks()) {
        error(
            FAULT_WITH_HEADER_CHECK,
            check.span(),
            "`=> fault "
                + f.status().text()
                + "` means the fault filter answers before routing: nothing goes upstream and"
                + " the route's response headers are not added, so there is no header to check;"
                + " drop the check, or expect the forwarded outcome for requests the fault skips");
      }
    }
    String name = request.gateway().text();
    GatewayDecl gateway = gateways.get(name);
    if (gateway == null) {
      error(
          UNKNOWN_GATEWAY,
          request.gateway().span(),
          services.containsKey(name)
              ? "\""
                  + name
                  + "\" is a service, not a gateway; `via` names the gateway the request enters through"
                  + "; "
                  + gatewayList(name)
              : "unknown gateway \"" + name + "\"; " + gatewayList(name));
      return;
    }
    List<String> domains = new ArrayList<>();
    for (GatewayStmt stmt : gateway.body()) {
      if (stmt instanceof GatewayStmt.Host h) {
        h.domains().forEach(d -> domains.add(d.value()));
      }
    }
    boolean notFound =
        expect.outcome() instanceof ExpectStmt.Outcome.Status s && s.status().value() == 404;
    if (hostOk && !notFound && domains.stream().noneMatch(d -> VirtualHosts.matches(d, host))) {
      warning(
          HOST_NOT_SERVED,
          request.host().span(),
          "gateway \""
              + name
              + "\" serves no host matching \""
              + request.host().text()
              + "\", so Envoy answers 404;"
              + (domains.isEmpty()
                  ? " it has no hosts"
                  : " its hosts: "
                      + String.join(", ", domains.stream().map(d -> "\"" + d + "\"").toList())));
    }
  }

  private void call(ExpectStmt expect, ExpectStmt.Request.Call request) {
    Name caller = request.caller();
    if (!services.containsKey(caller.text()) && !gateways.containsKey(caller.text())) {
      error(
          UNKNOWN_NAME,
          caller.span(),
          "unknown service or gateway \""
              + caller.text()
              + "\"; "
              + NearestNames.hint(
                  caller.text(),
                  NearestNames.Kind.declared("services", services.keySet()),
                  NearestNames.Kind.declared("gateways", gateways.keySet())));
    }
    Name callee = request.callee();
    if (gateways.containsKey(callee.text()) && !services.containsKey(callee.text())) {
      error(
          CALLEE_WITHOUT_SIDECAR,
          callee.span(),
          "\""
              + callee.text()
              + "\" is a gateway; the callee of `A -> B` is a service whose sidecar authorizes the"
              + " call; test a gateway with `expect GET host/path via "
              + callee.text()
              + " => …`");
    } else if (!services.containsKey(callee.text())) {
      error(
          UNKNOWN_NAME,
          callee.span(),
          "unknown service \"" + callee.text() + "\"; " + serviceList(callee.text()));
    } else if (!sidecars.contains(callee.text())) {
      error(
          CALLEE_WITHOUT_SIDECAR,
          callee.span(),
          "service \""
              + callee.text()
              + "\" has no sidecar, so nothing authorizes calls to it; add a `sidecar { … }`"
              + " block to \""
              + callee.text()
              + "\" or test it through a gateway");
    }
    ServiceDecl target = services.get(callee.text());
    boolean tcp =
        target != null
            && target.body().stream()
                .filter(dev.meshgate.compiler.ast.ServiceStmt.ProtocolStmt.class::isInstance)
                .map(dev.meshgate.compiler.ast.ServiceStmt.ProtocolStmt.class::cast)
                .findFirst()
                .map(p -> p.protocol().text().equals("tcp"))
                .orElse(false);
    if (tcp && (request.method().isPresent() || request.pathWritten())) {
      error(
          REQUEST_DOES_NOT_FIT_PROTOCOL,
          request.method().map(Name::span).orElse(request.path().span()),
          "service \""
              + callee.text()
              + "\" speaks `protocol tcp`: a call to it is a connection, without method or path;"
              + " write `expect "
              + caller.text()
              + " -> "
              + callee.text()
              + " => allowed` (or denied)");
    } else if (!tcp && target != null && !request.pathWritten()) {
      error(
          REQUEST_DOES_NOT_FIT_PROTOCOL,
          request.span(),
          "a call to HTTP service \""
              + callee.text()
              + "\" is a request: give its path, like `expect "
              + caller.text()
              + " -> "
              + callee.text()
              + " GET / => allowed`");
    }
    switch (expect.outcome()) {
      case ExpectStmt.Outcome.Verdict v -> {}
      case ExpectStmt.Outcome.Status s when s.status().value() == 403 -> {}
      default ->
          error(
              OUTCOME_DOES_NOT_FIT,
              expect.outcome().span(),
              "an east-west call expects `allowed`, `denied` or `403` (its authorization's verdict); routes and"
                  + " splits are tested through a gateway, like `expect GET host/path via edge => catalog`");
    }
    for (ExpectStmt.HeaderCheck check : expect.checks()) {
      error(
          OUTCOME_DOES_NOT_FIT,
          check.span(),
          "header checks apply to requests through a gateway; an east-west call is only allowed or denied");
    }
  }

  private void outcome(ExpectStmt.Outcome outcome) {
    switch (outcome) {
      case ExpectStmt.Outcome.Targets t -> targets(t);
      case ExpectStmt.Outcome.Status s -> {
        if (s.status().value() < 100 || s.status().value() > 599) {
          error(
              INVALID_VALUE,
              s.status().span(),
              "status " + s.status().text() + " is out of range; use a status from 100 to 599");
        }
      }
      case ExpectStmt.Outcome.Fault f -> {
        if (f.status().value() < 200 || f.status().value() > 599) {
          error(
              INVALID_VALUE,
              f.status().span(),
              "fault status "
                  + f.status().text()
                  + " is out of range; a fault abort answers a status from 200 to 599");
        }
      }
      case ExpectStmt.Outcome.Redirect r -> {
        if (!REDIRECT_STATUSES.contains((int) Math.min(Integer.MAX_VALUE, r.status().value()))) {
          error(
              INVALID_VALUE,
              r.status().span(),
              "redirect status "
                  + r.status().text()
                  + " is not a redirect; use 301, 302, 303, 307 or 308");
        }
        String location = r.location().value();
        if (!location.startsWith("/") && !location.matches("https?://[^/\\s]+(/\\S*)?")) {
          error(
              INVALID_VALUE,
              r.location().span(),
              "redirect location \""
                  + location
                  + "\" must be a path like \"/new/\" or a URL like \"https://example.com/new/\"");
        }
      }
      case ExpectStmt.Outcome.Verdict v -> {}
    }
  }

  private void targets(ExpectStmt.Outcome.Targets outcome) {
    List<RouteStmt.Target> targets = outcome.targets();
    Set<String> seen = new HashSet<>();
    long sum = 0;
    boolean weightsComplete = true;
    for (RouteStmt.Target target : targets) {
      String service = target.service().text();
      ServiceDecl decl = services.get(service);
      if (decl == null) {
        error(
            UNKNOWN_NAME,
            target.service().span(),
            "unknown service \"" + service + "\"; " + serviceList(service));
      } else if (target.subset().isPresent()) {
        Set<String> subsets = new TreeSet<>();
        decl.body().stream()
            .filter(ServiceStmt.SubsetStmt.class::isInstance)
            .map(s -> ((ServiceStmt.SubsetStmt) s).name().text())
            .forEach(subsets::add);
        Name subset = target.subset().get();
        if (!subsets.contains(subset.text())) {
          error(
              UNKNOWN_SUBSET,
              subset.span(),
              "unknown subset \""
                  + subset.text()
                  + "\" of service \""
                  + service
                  + "\"; "
                  + NearestNames.hint(subset.text(), NearestNames.Kind.owned("subsets", subsets)));
        }
      }
      if (!seen.add(target.cluster())) {
        error(
            BAD_WEIGHTS,
            target.span(),
            "\""
                + target.cluster()
                + "\" is listed twice in this outcome; give it one combined share");
      }
      if (target.weight().isPresent()) {
        long w = target.weight().get().value();
        sum += Math.min(w, 1000);
        if (w == 0) {
          error(
              BAD_WEIGHTS,
              target.weight().get().span(),
              "a share of 0% expects no traffic to \""
                  + target.cluster()
                  + "\"; leave the target out instead");
        }
      } else if (targets.size() > 1) {
        weightsComplete = false;
        error(
            BAD_WEIGHTS,
            target.span(),
            "\""
                + target.cluster()
                + "\" has no share; when several targets are expected each needs one, like "
                + target.cluster()
                + " 10%");
      }
    }
    boolean anyWeight = targets.stream().anyMatch(t -> t.weight().isPresent());
    if (weightsComplete && anyWeight && sum != 100) {
      error(
          BAD_WEIGHTS, outcome.span(), "expected shares sum to " + sum + "%, but must sum to 100%");
    }
  }

  // ------------------------------------------------------------------ values

  private void path(dev.meshgate.compiler.ast.RouteDecl.PathPattern.Literal path) {
    if (path.text().contains("*")) {
      error(
          INVALID_VALUE,
          path.span(),
          "a test request has one concrete path, like /catalog/items; patterns like "
              + path.text()
              + " belong to routes");
    }
  }

  private void headerName(StringLit name) {
    if (!HEADER_NAME.matcher(name.value()).matches() && !name.value().startsWith(":")) {
      String lower = name.value().toLowerCase(java.util.Locale.ROOT);
      error(
          INVALID_VALUE,
          name.span(),
          HEADER_NAME.matcher(lower).matches()
              ? "invalid header name \""
                  + name.value()
                  + "\"; header names are written in lower case: \""
                  + lower
                  + "\""
              : "invalid header name \""
                  + name.value()
                  + "\"; use letters, digits and '-', like \"x-canary\"");
    }
  }

  private String serviceList(String name) {
    return NearestNames.hint(name, NearestNames.Kind.declared("services", services.keySet()));
  }

  private String gatewayList(String name) {
    return NearestNames.hint(name, NearestNames.Kind.declared("gateways", gateways.keySet()));
  }

  private String at(Span span) {
    return span.file().equals(current.source().name()) ? "line " + span.line() : span.toString();
  }

  private void error(String code, Span span, String message) {
    out.add(Diagnostic.error(code, span, current.source(), message));
  }

  private void warning(String code, Span span, String message) {
    out.add(Diagnostic.warning(code, span, current.source(), message));
  }
}
