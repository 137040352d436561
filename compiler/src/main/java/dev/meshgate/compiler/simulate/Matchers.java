package dev.meshgate.compiler.simulate;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Envoy's string, header and query matchers. Regexes are RE2 in Envoy and RE2/J here (the same
 * syntax and linear-time matching: a backtracking engine could take hours on a regex and a path
 * from a policy test), always matched against the whole value (Envoy's {@code safe_regex} is a full
 * match).
 */
final class Matchers {
  private static final Map<String, Optional<Pattern>> PATTERNS = new ConcurrentHashMap<>();

  private Matchers() {}

  static boolean fullMatch(String regex, String value) {
    Optional<Pattern> pattern =
        PATTERNS.computeIfAbsent(
            regex,
            r -> {
              try {
                return Optional.of(Pattern.compile(r));
              } catch (PatternSyntaxException e) {
                // Envoy would have rejected the config; a regex we cannot read matches nothing.
                return Optional.empty();
              }
            });
    return pattern.isPresent() && pattern.get().matcher(value).matches();
  }

  /** A {@code StringMatcher} against a value. */
  static boolean string(StringMatcher matcher, String value) {
    boolean ic = matcher.getIgnoreCase();
    String v = ic ? value.toLowerCase(Locale.ROOT) : value;
    return switch (matcher.getMatchPatternCase()) {
      case EXACT -> v.equals(ic ? matcher.getExact().toLowerCase(Locale.ROOT) : matcher.getExact());
      case PREFIX ->
          v.startsWith(ic ? matcher.getPrefix().toLowerCase(Locale.ROOT) : matcher.getPrefix());
      case SUFFIX ->
          v.endsWith(ic ? matcher.getSuffix().toLowerCase(Locale.ROOT) : matcher.getSuffix());
      case CONTAINS ->
          v.contains(ic ? matcher.getContains().toLowerCase(Locale.ROOT) : matcher.getContains());
      case SAFE_REGEX -> fullMatch(matcher.getSafeRegex().getRegex(), value);
      default -> false; // custom matchers: not something Meshgate generates
    };
  }

  /**
   * A route or RBAC {@code HeaderMatcher}. {@code headers} has lower-case names and includes the
   * pseudo-headers {@code :method}, {@code :path} and {@code :authority}.
   */
  static boolean header(HeaderMatcher matcher, Map<String, String> headers) {
    Optional<String> value =
        Optional.ofNullable(headers.get(matcher.getName().toLowerCase(Locale.ROOT)));
    if (value.isEmpty() && matcher.getTreatMissingHeaderAsEmpty()) {
      value = Optional.of("");
    }
    boolean matched;
    if (matcher.getHeaderMatchSpecifierCase()
        == HeaderMatcher.HeaderMatchSpecifierCase.PRESENT_MATCH) {
      matched = value.isPresent() == matcher.getPresentMatch();
      return matcher.getInvertMatch() != matched;
    }
    if (value.isEmpty()) {
      // A missing header matches no value matcher, inverted or not.
      return false;
    }
    String v = value.get();
    matched =
        switch (matcher.getHeaderMatchSpecifierCase()) {
          case STRING_MATCH -> string(matcher.getStringMatch(), v);
          case EXACT_MATCH -> v.equals(matcher.getExactMatch());
          case SAFE_REGEX_MATCH -> fullMatch(matcher.getSafeRegexMatch().getRegex(), v);
          case PREFIX_MATCH -> v.startsWith(matcher.getPrefixMatch());
          case SUFFIX_MATCH -> v.endsWith(matcher.getSuffixMatch());
          case CONTAINS_MATCH -> v.contains(matcher.getContainsMatch());
          case HEADERMATCHSPECIFIER_NOT_SET -> true; // presence only
          default -> false;
        };
    return matcher.getInvertMatch() != matched;
  }

  /** A route's query parameter matcher: the first value of the parameter is what counts. */
  static boolean query(QueryParameterMatcher matcher, List<TestRequest.Param> query) {
    Optional<String> value =
        query.stream()
            .filter(p -> p.name().equals(matcher.getName()))
            .map(TestRequest.Param::value)
            .findFirst();
    return switch (matcher.getQueryParameterMatchSpecifierCase()) {
      case STRING_MATCH -> value.isPresent() && string(matcher.getStringMatch(), value.get());
      case PRESENT_MATCH -> value.isPresent() == matcher.getPresentMatch();
      default -> value.isPresent();
    };
  }
}
