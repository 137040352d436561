package dev.meshgate.compiler.ir;

import java.util.List;

/**
 * Authorization on a sidecar's inbound side, evaluated like Istio: any matching {@code deny}
 * answers 403; then, under {@code authz default deny}, a request needs a matching {@code allow}.
 * {@code shadowDeny} ({@code deny dry-run}) rules are only counted and logged.
 */
public record InboundAuthzIr(
    MeshIr.AuthzDefault defaultAction,
    List<AuthzRuleIr> deny,
    List<AuthzRuleIr> shadowDeny,
    List<AuthzRuleIr> allow) {
  public InboundAuthzIr {
    deny = List.copyOf(deny);
    shadowDeny = List.copyOf(shadowDeny);
    allow = List.copyOf(allow);
  }
}
