package dev.meshgate.compiler.ir;

import java.util.List;

/**
 * One allow or deny rule on a destination's inbound side. Matches when the principal matches and,
 * if given, the method is one of {@code methods} and the path one of {@code paths} (empty = any).
 * {@code name} is the rule as written ({@code orders -> catalog GET /items/**}), which Envoy
 * reports as the matched policy; {@code origin} is {@code file:line:col}.
 */
public record AuthzRuleIr(
    String name,
    String origin,
    PrincipalIr principal,
    List<String> methods,
    List<PathMatchIr> paths) {
  public AuthzRuleIr {
    methods = List.copyOf(methods);
    paths = List.copyOf(paths);
  }
}
