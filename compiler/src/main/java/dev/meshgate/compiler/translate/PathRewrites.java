package dev.meshgate.compiler.translate;

import dev.meshgate.compiler.ir.PathMatchIr;
import dev.meshgate.compiler.ir.RouteActionIr;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;

/**
 * {@code rewrite prefix "/"}, {@code rewrite path "/x"} and the same parts of a redirect (setting
 * unit: {@code setting/PathRewrites}): anchored regex rewrites over the path (Envoy leaves the
 * query alone).
 */
final class PathRewrites {
  private PathRewrites() {}

  static RegexMatchAndSubstitute regex(RouteActionIr.PathRewriteIr rewrite, PathMatchIr match) {
    return switch (rewrite) {
      case RouteActionIr.PrefixRewriteIr p -> Rewrites.regex(p);
      case RouteActionIr.ReplacePathIr p -> of("^.*$", p.path());
      case RouteActionIr.ReplacePrefixIr p -> replacePrefix(matchedPrefix(match), p.to());
    };
  }

  /**
   * Gateway API ReplacePrefixMatch over the prefix the route matched ({@code /foo} of {@code
   * /foo/**}): with {@code /xyz} (or {@code /xyz/}) {@code /foo/bar} becomes {@code /xyz/bar} and
   * {@code /foo} {@code /xyz}; with {@code /}, {@code /foo/bar} becomes {@code /bar} and {@code
   * /foo} {@code /}. Not {@code prefix_rewrite}: with a {@code path_separated_prefix} of "/foo" and
   * "/" it turns "/foo/bar" into "//bar".
   */
  static RegexMatchAndSubstitute replacePrefix(String matched, String to) {
    String into = to;
    while (into.endsWith("/")) {
      into = into.substring(0, into.length() - 1);
    }
    if (matched.isEmpty()) {
      // The catch-all /**: every path starts with "/", which stays.
      return of("^/", into + "/");
    }
    if (into.isEmpty()) {
      return of("^" + Regexes.quote(matched) + "/?", "/");
    }
    return of("^" + Regexes.quote(matched), into);
  }

  /** The prefix of a {@code /…/**} route without its trailing slash; "" for the catch-all. */
  static String matchedPrefix(PathMatchIr match) {
    if (!(match instanceof PathMatchIr.Prefix prefix)) {
      // The checker allows a prefix part only on prefix routes; anything else is a compiler bug.
      throw new IllegalArgumentException("a prefix rewrite needs a prefix route, not " + match);
    }
    String p = prefix.prefix();
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  private static RegexMatchAndSubstitute of(String pattern, String substitution) {
    return RegexMatchAndSubstitute.newBuilder()
        .setPattern(Regexes.matcher(pattern))
        .setSubstitution(Regexes.literalSubstitution(substitution))
        .build();
  }
}
