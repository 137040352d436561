package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.ast.CallDecl;
import dev.meshgate.compiler.ast.Decl;
import dev.meshgate.compiler.ast.PolicyFile;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.RuleDecl;
import dev.meshgate.compiler.ast.ServiceDecl;
import dev.meshgate.compiler.check.CheckContext.CheckedRule;
import dev.meshgate.compiler.setting.Attachment;
import dev.meshgate.compiler.setting.Settings;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code call A -> B { … }}: the caller, the callee, the call's settings and whether the mesh lets
 * it through.
 */
final class CallChecks {
  private final CheckContext cx;
  private final Values values;
  private final RouteChecks routeChecks;
  private final RuleChecks ruleChecks;
  private final PortChecks ports;

  /**
   * The enforced deny rules by destination, in policy order: a call is decided by its callee's
   * rules only, and the first deny that blocks it is the one reported.
   */
  private final Map<String, List<CheckedRule>> deniesByDestination = new HashMap<>();

  /**
   * The sources of the {@code allow} rules by destination ({@code *} when any caller is allowed):
   * whether a call is allowed is a lookup, not a scan of the callee's rules per call (a mesh of
   * 1,000 services calling 10 others each has 10,000 calls).
   */
  private final Map<String, Set<String>> allowedSources = new HashMap<>();

  /** The cluster statements of each callee, written on the service itself (shared by its calls). */
  private final Map<ServiceDecl, List<dev.meshgate.compiler.ast.ClusterStmt>> calleeClusters =
      new java.util.IdentityHashMap<>();

  CallChecks(CheckContext cx, RouteChecks routeChecks, RuleChecks ruleChecks, PortChecks ports) {
    this.cx = cx;
    this.values = new Values(cx);
    this.routeChecks = routeChecks;
    this.ruleChecks = ruleChecks;
    this.ports = ports;
  }

  void calls(List<CheckedRule> rules) {
    for (CheckedRule r : rules) {
      if (r.rule().effect() == RuleDecl.Effect.ALLOW) {
        allowedSources
            .computeIfAbsent(r.scope().destination(), k -> new HashSet<>())
            .add(r.scope().source());
      } else if (!r.rule().isDryRun()) {
        deniesByDestination.computeIfAbsent(r.scope().destination(), k -> new ArrayList<>()).add(r);
      }
    }
    Map<CallerCallee, CallDecl> seen = new HashMap<>();
    for (PolicyFile file : cx.files) {
      cx.current = file;
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
  void tcpCallsNeedPorts(List<CheckedRule> rules, Map<CallerCallee, CallDecl> calls) {
    Set<CallerCallee> reported = new java.util.HashSet<>();
    for (CheckedRule r : rules) {
      RuleDecl rule = r.rule();
      String callee = rule.destination().text();
      // Whether the callee is tcp first: most are not, and this runs for every rule on every
      // reload (issue 17.1).
      if (rule.effect() != RuleDecl.Effect.ALLOW
          || !cx.isTcp(callee)
          || !(rule.source() instanceof RuleDecl.Source.Named n)
          || !cx.sidecars.containsKey(n.name().text())
          || calls.containsKey(new CallerCallee(n.name().text(), callee))
          || !reported.add(new CallerCallee(n.name().text(), callee))) {
        continue;
      }
      cx.current = r.file();
      String caller = n.name().text();
      cx.error(
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

  /**
   * A caller and a callee: the key of the calls seen so far (the names' hashes are cached, where a
   * joined string would be hashed anew for each of 10,000 calls on every reload).
   */
  record CallerCallee(String caller, String callee) {}

  void call(CallDecl call, List<CheckedRule> rules, Map<CallerCallee, CallDecl> seen) {
    String caller = call.caller().text();
    String callee = call.callee().text();
    boolean ok = true;
    boolean service = cx.services.containsKey(caller);
    if (!service && cx.gateways.containsKey(caller)) {
      cx.error(
          CALLER_WITHOUT_SIDECAR,
          call.caller().span(),
          "\""
              + caller
              + "\" is a gateway; gateways send traffic with `route`, and `call` configures the sidecar of a service");
      ok = false;
    } else if (!service) {
      String known = cx.knownServices(caller);
      cx.error(
          UNKNOWN_SERVICE, call.caller().span(), "unknown service \"" + caller + "\"; " + known);
      ok = false;
    } else if (!cx.sidecars.containsKey(caller)) {
      cx.error(
          CALLER_WITHOUT_SIDECAR,
          call.caller().span(),
          "service \""
              + caller
              + "\" has no sidecar, so no proxy makes its calls; add a `sidecar { … }` block to \""
              + caller
              + "\"");
      ok = false;
    }
    ok &= ruleChecks.destination(call.callee(), "call");
    CallDecl before = seen.putIfAbsent(new CallerCallee(caller, callee), call);
    if (before != null) {
      cx.error(
          DUPLICATE_CALL,
          call.span(),
          "duplicate `call "
              + caller
              + " -> "
              + callee
              + "`; it is first declared at "
              + cx.at(before.span())
              + "; merge their settings");
    }
    boolean tcp = cx.isTcp(callee);
    RouteChecks.Body body = routeChecks.body(Attachment.CALL, Optional.empty(), call.body(), !tcp);
    RouteStmt.Port port = body.first(RouteStmt.Port.class).orElse(null);
    if (tcp) {
      for (RouteStmt stmt :
          body.firsts().values().stream()
              .filter(st -> Settings.of(st).httpOnly())
              .sorted(Comparator.comparingInt(st -> call.body().indexOf(st)))
              .toList()) {
        cx.error(
            TCP_CALL_HTTP_SETTING,
            stmt.span(),
            "`"
                + stmt.keyword()
                + "` applies to HTTP requests, but service \""
                + callee
                + "\" speaks `protocol tcp`, where"
                + " the sidecar only relays a connection; remove it");
      }
      if (port == null && cx.current.complete()) {
        cx.error(
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
    } else if (port != null && cx.services.containsKey(callee)) {
      cx.error(
          CALL_PORT_NOT_TCP,
          port.span(),
          "`port` declares the local port for a `protocol tcp` callee, but service \""
              + callee
              + "\" speaks HTTP, which"
              + " the app reaches by name through the outbound listener (http://"
              + callee
              + "/); remove it");
    }
    ServiceDecl calleeDecl = cx.services.get(callee);
    // Most calls override no cluster setting, and then there is nothing to check.
    if (calleeDecl != null && !call.cluster().isEmpty()) {
      new ClusterSettingChecks(cx)
          .override(
              "call " + caller + " -> " + callee,
              callee,
              call.cluster(),
              calleeClusters.computeIfAbsent(calleeDecl, ClusterSettingChecks::of));
    }
    CheckContext.Sidecar callerSidecar = cx.sidecars.get(caller);
    if (tcp && port != null && callerSidecar != null) {
      ports.tcpPortClash(caller, callerSidecar, call, port);
    }
    if (!ok || !cx.sidecars.containsKey(callee)) {
      return; // an unmeshed callee has no sidecar to authorize anything
    }
    for (CheckedRule d : deniesByDestination.getOrDefault(callee, List.of())) {
      if (RuleCoverage.coversAllFrom(d.scope(), caller)) {
        cx.error(
            CALL_NOT_ALLOWED,
            call.span(),
            "service \""
                + caller
                + "\" may not call \""
                + callee
                + "\": the deny at "
                + cx.at(d.rule().span())
                + " blocks every request from it; remove the call or narrow the deny");
        return;
      }
    }
    if (cx.defaultDeny) {
      Set<String> sources = allowedSources.getOrDefault(callee, Set.of());
      if (!sources.contains("*") && !sources.contains(caller)) {
        cx.error(
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
}
