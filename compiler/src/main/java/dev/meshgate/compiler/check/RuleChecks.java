package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.Decl;
import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.PolicyFile;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RuleDecl;
import dev.meshgate.compiler.check.CheckContext.CheckedRule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Authorization rules ({@code allow}/{@code deny}): their peers, destinations, methods and paths.
 */
final class RuleChecks {
  private final CheckContext cx;
  private final Values values;

  RuleChecks(CheckContext cx) {
    this.cx = cx;
    this.values = new Values(cx);
  }

  List<CheckedRule> rules() {
    List<CheckedRule> checked = new ArrayList<>();
    for (PolicyFile file : cx.files) {
      cx.current = file;
      for (Decl decl : file.decls()) {
        if (decl instanceof RuleDecl rule && rule(rule)) {
          checked.add(new CheckedRule(rule, RuleCoverage.Scope.of(rule), file));
        }
      }
    }
    return checked;
  }

  /** Checks one rule; true when every name in it resolved (so later analysis may use it). */
  boolean rule(RuleDecl rule) {
    boolean ok = true;
    if (rule.effect() == RuleDecl.Effect.ALLOW && rule.dryRun().isPresent()) {
      cx.error(
          DRY_RUN_ALLOW,
          rule.dryRun().get(),
          "`dry-run` applies to deny rules only: it records what a deny would block; write `deny dry-run …`, or drop `dry-run`");
      ok = false;
    }
    if (rule.source() instanceof RuleDecl.Source.Named named) {
      ok &= peer(named.name(), rule);
    }
    ok &= destination(rule.destination(), "rule");
    if (rule.methods().size() > 1) { // a repeat takes two; most rules list none
      Set<String> methods = new HashSet<>();
      for (Name m : rule.methods()) {
        if (!methods.add(m.text())) {
          cx.error(
              DUPLICATE_METHOD, m.span(), "method " + m.text() + " is listed twice in this rule");
        }
      }
    }
    if (cx.isTcp(rule.destination().text())
        && (!rule.methods().isEmpty() || !rule.paths().isEmpty())) {
      Span at =
          !rule.methods().isEmpty()
              ? rule.methods().getFirst().span()
              : rule.paths().getFirst().span();
      cx.error(
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
      values.path(path, false);
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
  boolean peer(Name name, RuleDecl rule) {
    String text = name.text();
    if (cx.gateways.containsKey(text)) {
      return true;
    }
    if (!cx.services.containsKey(text)) {
      cx.error(
          UNKNOWN_PEER,
          name.span(),
          "unknown service or gateway \"" + text + "\"; " + declared(text));
      return false;
    }
    if (!cx.sidecars.containsKey(text)) {
      if (cx.strictMtls && rule.effect() == RuleDecl.Effect.ALLOW) {
        cx.error(
            STRICT_MTLS_PEER_WITHOUT_SIDECAR,
            name.span(),
            "service \""
                + text
                + "\" has no sidecar, so under `mtls strict` its requests cannot present a certificate and"
                + " are refused before this allow is checked; add a `sidecar { … }` block to \""
                + text
                + "\" or use `mtls permissive`");
      } else {
        cx.warning(
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
  boolean destination(Name name, String what) {
    String text = name.text();
    boolean service = cx.services.containsKey(text); // most are: one look-up for them
    if (!service && cx.gateways.containsKey(text)) {
      cx.error(
          DESTINATION_WITHOUT_SIDECAR,
          name.span(),
          "\""
              + text
              + "\" is a gateway, not a service; the destination of a "
              + what
              + " is a service with a sidecar");
      return false;
    }
    if (!service) {
      String known = cx.knownServices(text);
      cx.error(UNKNOWN_SERVICE, name.span(), "unknown service \"" + text + "\"; " + known);
      return false;
    }
    if (what.equals("rule") && !cx.sidecars.containsKey(text)) {
      cx.error(
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

  String declared(String name) {
    return NearestNames.hint(
        name,
        NearestNames.Kind.declared("services", cx.services.keySet()),
        NearestNames.Kind.declared("gateways", cx.gateways.keySet()));
  }
}
