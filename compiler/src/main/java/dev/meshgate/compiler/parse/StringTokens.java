package dev.meshgate.compiler.parse;

/**
 * String tokens read by linear scans. A {@code java.util.regex} over the token once decided whether
 * it was terminated; its alternation recursed per character and overflowed the stack on a string of
 * 1,500 characters.
 */
final class StringTokens {
  private StringTokens() {}

  /**
   * Whether a string token (the lexer also accepts unterminated ones) has its closing quote: the
   * token is {@code "} body {@code "}, where the body has no line break, no bare {@code "} and
   * every {@code \} escapes the next character.
   */
  static boolean terminated(String raw) {
    if (raw.length() < 2 || raw.charAt(0) != '"') {
      return false;
    }
    int last = raw.length() - 1;
    for (int i = 1; i < last; i++) {
      char c = raw.charAt(i);
      if (c == '"' || c == '\r' || c == '\n') {
        return false;
      }
      if (c == '\\') {
        if (i + 1 >= last || raw.charAt(i + 1) == '\r' || raw.charAt(i + 1) == '\n') {
          return false;
        }
        i++;
      }
    }
    return raw.charAt(last) == '"';
  }
}
