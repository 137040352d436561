package dev.meshgate.compiler.simulate;

import dev.meshgate.compiler.ast.Decl;
import dev.meshgate.compiler.ast.ExpectStmt;
import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.PolicyFile;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.TestDecl;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Collects the {@code test} blocks of a policy (in file order) as {@link PolicyTest}s. Test blocks
 * are never lowered to IR or Envoy resources: no proxy ever sees them.
 */
public final class PolicyTests {
  /** The method of an expectation that names none. */
  public static final String DEFAULT_METHOD = "GET";

  private PolicyTests() {}

  public static List<PolicyTest> collect(List<PolicyFile> files) {
    List<PolicyTest> tests = new ArrayList<>();
    for (PolicyFile file : files) {
      for (Decl decl : file.decls()) {
        if (decl instanceof TestDecl test) {
          List<Expectation> expectations = new ArrayList<>();
          for (ExpectStmt expect : test.expects()) {
            expectations.add(expectation(expect, file));
          }
          tests.add(new PolicyTest(test.name().value(), test.span(), expectations));
        }
      }
    }
    return List.copyOf(tests);
  }

  static Expectation expectation(ExpectStmt expect, PolicyFile file) {
    List<TestRequest.Param> headers = new ArrayList<>();
    List<TestRequest.Param> query = new ArrayList<>();
    boolean jwt = false;
    Optional<String> apiKey = Optional.empty();
    Optional<String> basicAuth = Optional.empty();
    Map<String, String> claims = new java.util.LinkedHashMap<>();
    for (ExpectStmt.Option option : expect.options()) {
      switch (option) {
        case ExpectStmt.Option.Header h ->
            headers.add(
                new TestRequest.Param(
                    h.name().value().toLowerCase(Locale.ROOT), h.value().value()));
        case ExpectStmt.Option.Query q ->
            query.add(new TestRequest.Param(q.name().value(), q.value().value()));
        case ExpectStmt.Option.ApiKey k -> apiKey = Optional.of(k.client().value());
        case ExpectStmt.Option.BasicAuth b -> basicAuth = Optional.of(b.user().value());
        case ExpectStmt.Option.Jwt j -> {
          jwt = true;
          j.claims().forEach(c -> claims.putIfAbsent(c.name().value(), c.value().value()));
        }
      }
    }
    TestRequest request =
        switch (expect.request()) {
          case ExpectStmt.Request.Gateway g ->
              new TestRequest.ViaGateway(
                  g.gateway().text(),
                  method(g),
                  g.host().text().toLowerCase(Locale.ROOT),
                  g.path().text(),
                  headers,
                  query,
                  jwt,
                  claims,
                  apiKey,
                  basicAuth);
          case ExpectStmt.Request.Call c ->
              new TestRequest.Call(
                  c.caller().text(),
                  c.callee().text(),
                  method(c),
                  c.path().text(),
                  headers,
                  query,
                  jwt,
                  claims,
                  apiKey,
                  basicAuth);
        };
    List<Expectation.HeaderCheck> checks =
        expect.checks().stream()
            .map(c ->
                new Expectation.HeaderCheck(
                    c.response()
                        ? Expectation.HeaderCheck.Direction.RESPONSE
                        : Expectation.HeaderCheck.Direction.REQUEST,
                    c.name().value(),
                    c.value().value(),
                    c.span(),
                    file.source().line(c.span().line())))
            .toList();
    return new Expectation(
        request,
        outcome(expect.outcome()),
        checks,
        expect.span(),
        expect.outcome().span(),
        file.source().line(expect.span().line()),
        file.source().line(expect.outcome().span().line()),
        (int) Math.min(Integer.MAX_VALUE, expect.burst().map(n -> n.value()).orElse(1L)));
  }

  private static String method(ExpectStmt.Request request) {
    return request.method().map(Name::text).orElse(DEFAULT_METHOD);
  }

  private static ExpectedOutcome outcome(ExpectStmt.Outcome outcome) {
    return switch (outcome) {
      case ExpectStmt.Outcome.Targets t -> {
        List<RouteStmt.Target> targets = t.targets();
        List<ExpectedOutcome.Share> shares = new ArrayList<>();
        for (RouteStmt.Target target : targets) {
          double percent =
              target
                  .weight()
                  .map(w -> (double) w.value())
                  .orElse(targets.size() == 1 ? 100.0 : 0.0);
          shares.add(new ExpectedOutcome.Share(target.cluster(), percent));
        }
        yield new ExpectedOutcome.Forward(shares);
      }
      case ExpectStmt.Outcome.Status s -> new ExpectedOutcome.Status((int) s.status().value());
      case ExpectStmt.Outcome.Fault f -> new ExpectedOutcome.Fault((int) f.status().value());
      case ExpectStmt.Outcome.Redirect r ->
          new ExpectedOutcome.Redirect((int) r.status().value(), r.location().value());
      case ExpectStmt.Outcome.Verdict v -> new ExpectedOutcome.Verdict(v.allowed());
    };
  }
}
