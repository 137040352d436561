package dev.meshgate.compiler.check;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Optional;

/**
 * What RE2 (Envoy's regex engine) would say about a policy's regex, checked without backtracking
 * over it: a linear scan for nesting, then RE2/J, which parses the way RE2 does.
 */
final class RegexSyntax {
  /** RE2's own limit on how deep groups nest; deeper ones also overflow recursive parsers. */
  static final int MAX_NESTING = 1000;

  /** A problem at character {@code index} of the regex. */
  record Problem(int index, String message) {}

  /** What RE2 lacks and people write: lookaround, backreferences, possessive quantifiers. */
  private static final java.util.regex.Pattern UNSUPPORTED =
      java.util.regex.Pattern.compile("\\(\\?<?[=!]|\\\\[1-9]|[*+?}][+]");

  private RegexSyntax() {}

  /**
   * The first problem RE2 would have with {@code re}, said the way people fix it. Only RE2/J parses
   * policy text: the JDK's regex parser recursed per group, and it accepts syntax RE2 does not (and
   * refuses some RE2 accepts, like {@code (?P<name>…)}).
   */
  static Optional<Problem> check(String re) {
    Optional<Problem> deep = tooDeep(re);
    if (deep.isPresent()) {
      return deep;
    }
    var m = UNSUPPORTED.matcher(re); // a fixed pattern without nested repetition: linear
    while (m.find()) {
      if (!escaped(re, m.start())) {
        String found = m.group();
        return Optional.of(
            new Problem(
                m.start(),
                "invalid regex: RE2, which Envoy uses, does not support "
                    + (found.startsWith("(")
                        ? "lookaround " + found + "…)"
                        : found.startsWith("\\")
                            ? "backreference " + found
                            : "possessive quantifier " + found)));
      }
    }
    return rejectedByRe2(re);
  }

  private static boolean escaped(String s, int index) {
    int backslashes = 0;
    for (int i = index - 1; i >= 0 && s.charAt(i) == '\\'; i--) {
      backslashes++;
    }
    return backslashes % 2 == 1;
  }

  /**
   * Groups nested deeper than RE2 allows; checked before anything parses the regex, because the
   * JDK's regex parser recurses per group and a few thousand overflow its stack.
   */
  static Optional<Problem> tooDeep(String re) {
    int depth = 0;
    boolean inClass = false;
    for (int i = 0; i < re.length(); i++) {
      char c = re.charAt(i);
      if (c == '\\') {
        i++;
      } else if (inClass) {
        inClass = c != ']';
      } else if (c == '[') {
        inClass = true;
        if (i + 1 < re.length() && re.charAt(i + 1) == ']') {
          i++; // `[]abc]`: a leading ] is a member
        }
      } else if (c == '(' && ++depth > MAX_NESTING) {
        return Optional.of(
            new Problem(
                i,
                "invalid regex: groups nested more than "
                    + MAX_NESTING
                    + " deep; RE2, which Envoy uses, allows no more"));
      } else if (c == ')' && depth > 0) {
        depth--;
      }
    }
    return Optional.empty();
  }

  /** RE2/J's verdict, with the two commonest mistakes in plain words. */
  static Optional<Problem> rejectedByRe2(String re) {
    try {
      Pattern.compile(re);
      return Optional.empty();
    } catch (PatternSyntaxException e) {
      String description = e.getDescription();
      String error = e.getPattern();
      if (description.equals("missing closing )")) {
        return Optional.of(
            new Problem(
                re.length(), "invalid regex: unclosed group at position " + (re.length() + 1)));
      }
      int at = Math.max(0, error.isEmpty() ? 0 : re.indexOf(error));
      if (description.equals("missing closing ]")) {
        return Optional.of(
            new Problem(at, "invalid regex: unclosed character class at position " + (at + 1)));
      }
      return Optional.of(
          new Problem(
              at,
              "invalid regex: RE2, which Envoy uses, rejects "
                  + (error.isEmpty() ? "it" : "`" + error + "`")
                  + ": "
                  + description));
    }
  }
}
