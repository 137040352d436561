package dev.meshgate.compiler.translate;

import dev.meshgate.compiler.ir.RouteActionIr.PrefixRewriteIr;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;

/** {@code rewrite prefix …} (setting unit: {@code setting/Rewrites}). */
final class Rewrites {
  private Rewrites() {}

  /**
   * {@code rewrite prefix "/catalog/" => "/"} as a regex rewrite anchored at the start of the path.
   * Not {@code prefix_rewrite}: that replaces the prefix the route <em>matched</em>, and a {@code
   * path_separated_prefix} match is "/catalog" with no trailing slash, so "/catalog/items" would
   * become "//items"; it also cannot say "only when the path starts with /catalog/" ("/catalog"
   * itself must pass unchanged), which the anchored regex does.
   */
  static RegexMatchAndSubstitute regex(PrefixRewriteIr rewrite) {
    return RegexMatchAndSubstitute.newBuilder()
        .setPattern(Regexes.matcher("^" + Regexes.quote(rewrite.from())))
        .setSubstitution(Regexes.literalSubstitution(rewrite.to()))
        .build();
  }
}
