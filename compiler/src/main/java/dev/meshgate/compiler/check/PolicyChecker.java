package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.Suppressed;
import dev.meshgate.compiler.ast.Decl;
import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.PolicyFile;
import dev.meshgate.compiler.ast.ServiceDecl;
import java.util.List;

/**
 * Checks a whole policy (all files merged). Reports every finding rather than stopping at the
 * first, and avoids cascades: a reference to a service that does not exist is reported once, not
 * again as a missing subset.
 */
public final class PolicyChecker {
  /** The outbound address a sidecar uses when it declares none. */
  public static final String DEFAULT_OUTBOUND_ADDRESS = "127.0.0.1";

  public static final int DEFAULT_OUTBOUND_PORT = 15001;

  private final CheckContext cx;

  private PolicyChecker(List<PolicyFile> files) {
    this.cx = new CheckContext(files);
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
    CheckContext cx = checker.cx;
    cx.out.addAll(TestChecker.check(cx.files)); // test blocks (MG8xx)
    Suppressions.Outcome outcome = Suppressions.apply(cx.files, cx.out, checker.sound());
    return new Result(outcome.diagnostics(), outcome.suppressed());
  }

  /**
   * Every file parsed and no error so far: the analyses that look at the policy as a whole (unused
   * declarations, unused ignores) run only then, since a misspelt name would otherwise also show up
   * as its intended target being unused.
   */
  private boolean sound() {
    // Errors silenced by an ignore comment do not count: the policy compiles despite them.
    return cx.files.stream().allMatch(PolicyFile::complete)
        && Suppressions.apply(cx.files, cx.out, false).diagnostics().stream()
            .noneMatch(Diagnostic::isError);
  }

  /**
   * The areas, in an order that lets each rely on the ones before: services first, across all files
   * (routes anywhere may refer to any of them), then gateways and their routes, the mesh block,
   * rules, calls, and last the analyses of the policy as a whole.
   */
  private void run() {
    Values values = new Values(cx);
    PortChecks ports = new PortChecks(cx);
    ServiceChecks services = new ServiceChecks(cx, ports);
    RouteChecks routes = new RouteChecks(cx);
    GatewayChecks gateways = new GatewayChecks(cx, routes);
    RuleChecks rules = new RuleChecks(cx);
    CallChecks calls = new CallChecks(cx, routes, rules, ports);
    PolicyAnalysis analysis = new PolicyAnalysis(cx);
    for (PolicyFile file : cx.files) {
      cx.current = file;
      for (Decl decl : file.decls()) {
        if (decl instanceof ServiceDecl service) {
          services.service(service);
        }
      }
    }
    for (PolicyFile file : cx.files) {
      cx.current = file;
      for (Decl decl : file.decls()) {
        if (decl instanceof GatewayDecl gateway) {
          values.name(gateway.name(), "gateway");
          GatewayDecl first = cx.gateways.putIfAbsent(gateway.name().text(), gateway);
          if (first != null) {
            cx.error(
                DUPLICATE_GATEWAY,
                gateway.name().span(),
                "duplicate gateway \""
                    + gateway.name().text()
                    + "\"; it is first declared at "
                    + cx.at(first.name().span()));
          }
          gateways.gateway(gateway, first == null);
        }
      }
    }
    new MeshChecks(cx).mesh();
    ports.sidecarClashesAcrossServices();
    List<CheckContext.CheckedRule> checked = rules.rules();
    analysis.coverage(checked);
    calls.calls(checked);
    ports.listenerCollisions();
    new LoadBalancingChecks(cx).run(); // load balancing (issue 14)
    new AccessLogChecks(cx).run(); // access logs (issue 15)
    new TracingChecks(cx, values).run(); // tracing (issue 15)
    if (sound()) {
      analysis.unused();
    }
  }
}
