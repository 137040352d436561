package dev.meshgate.compiler.translate;

import dev.meshgate.compiler.ir.PathMatchIr;
import dev.meshgate.compiler.ir.RouteMatchIr;
import dev.meshgate.compiler.ir.ValueMatchIr;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;
import java.util.Locale;

/** Path, method, header and query conditions of a route. */
final class RouteMatches {
  static final String METHOD_HEADER = ":method";

  private RouteMatches() {}

  static RouteMatch match(RouteMatchIr match) {
    RouteMatch.Builder envoy = RouteMatch.newBuilder();
    switch (match.path()) {
      case PathMatchIr.Exact exact -> envoy.setPath(exact.path());
      case PathMatchIr.Prefix prefix -> prefix(prefix.prefix(), envoy);
      case PathMatchIr.Regex regex -> envoy.setSafeRegex(Regexes.matcher(regex.regex()));
    }
    if (!match.methods().isEmpty()) {
      envoy.addHeaders(methods(match.methods()));
    }
    match.headers().forEach(header -> envoy.addHeaders(header(header)));
    match.queries().forEach(query -> envoy.addQueryParameters(query(query)));
    return envoy.build();
  }

  /**
   * {@code /api/**} means "/api" and everything below "/api/", never "/apix": Envoy's {@code
   * path_separated_prefix} is exactly that. It must not end in "/" (Envoy rejects it), so a
   * trailing slash is dropped; "/" itself (the catch-all) is a plain prefix.
   */
  private static void prefix(String prefix, RouteMatch.Builder envoy) {
    String trimmed = prefix;
    while (trimmed.length() > 1 && trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    if (trimmed.equals("/") || trimmed.isEmpty()) {
      envoy.setPrefix("/");
    } else {
      envoy.setPathSeparatedPrefix(trimmed);
    }
  }

  private static HeaderMatcher methods(List<String> methods) {
    List<String> upper = methods.stream().map(m -> m.toUpperCase(Locale.ROOT)).toList();
    StringMatcher matcher =
        upper.size() == 1
            ? StringMatcher.newBuilder().setExact(upper.getFirst()).build()
            : StringMatcher.newBuilder()
                .setSafeRegex(Regexes.matcher("^(" + String.join("|", upper) + ")$"))
                .build();
    return HeaderMatcher.newBuilder().setName(METHOD_HEADER).setStringMatch(matcher).build();
  }

  private static HeaderMatcher header(ValueMatchIr header) {
    // Envoy compares header names in lower case; say so in the config too.
    return HeaderMatcher.newBuilder()
        .setName(header.name().toLowerCase(Locale.ROOT))
        .setStringMatch(value(header))
        .build();
  }

  private static QueryParameterMatcher query(ValueMatchIr query) {
    // Query parameter names are case-sensitive: kept as written.
    return QueryParameterMatcher.newBuilder()
        .setName(query.name())
        .setStringMatch(value(query))
        .build();
  }

  private static StringMatcher value(ValueMatchIr match) {
    return switch (match.kind()) {
      case EXACT -> StringMatcher.newBuilder().setExact(match.value()).build();
      case REGEX -> StringMatcher.newBuilder().setSafeRegex(Regexes.matcher(match.value())).build();
    };
  }
}
