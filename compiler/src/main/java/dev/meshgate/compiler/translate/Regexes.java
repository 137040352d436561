package dev.meshgate.compiler.translate;

import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;

/** RE2 regexes for Envoy. */
final class Regexes {
  private static final String RE2_SPECIAL = "\\.+*?()|[]{}^$";

  private Regexes() {}

  /**
   * A {@code RegexMatcher} with only the pattern: Google RE2 is Envoy's default engine and the
   * {@code google_re2} field is deprecated, so it is not set.
   */
  static RegexMatcher matcher(String regex) {
    return RegexMatcher.newBuilder().setRegex(regex).build();
  }

  /** {@code text} as an RE2 pattern that matches exactly that text. */
  static String quote(String text) {
    StringBuilder quoted = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (RE2_SPECIAL.indexOf(c) >= 0) {
        quoted.append('\\');
      }
      quoted.append(c);
    }
    return quoted.toString();
  }

  /** {@code text} as an RE2 substitution that inserts exactly that text ("\1" is a group). */
  static String literalSubstitution(String text) {
    return text.replace("\\", "\\\\");
  }
}
