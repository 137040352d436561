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

  private RegexSyntax() {}

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

  /** What RE2 rejects in a regex the JDK accepts (for example {@code a{1001}} or {@code \h}). */
  static Optional<Problem> rejectedByRe2(String re) {
    try {
      Pattern.compile(re);
      return Optional.empty();
    } catch (PatternSyntaxException e) {
      String description = e.getDescription();
      String error = e.getPattern();
      int at = error.isEmpty() ? -1 : re.indexOf(error);
      return Optional.of(
          new Problem(
              Math.max(0, at),
              "invalid regex: RE2, which Envoy uses, rejects "
                  + (error.isEmpty() ? "it" : "`" + error + "`")
                  + ": "
                  + description));
    }
  }
}
