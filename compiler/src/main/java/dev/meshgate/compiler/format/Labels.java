package dev.meshgate.compiler.format;

import java.util.Set;
import java.util.regex.Pattern;

/** How label keys and values are written: bare when they read back as written, else quoted. */
final class Labels {
  private Labels() {}

  private static final Pattern IDENT = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_-]*");
  private static final Pattern NUMBER_OR_WORD = Pattern.compile("[0-9]+([a-zA-Z_][a-zA-Z0-9_-]*)?");

  /**
   * Method names are tokens of their own, never names, so a label spelled like one needs quotes.
   */
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

  /**
   * A label key bare when it reads back as a name, quoted otherwise ({@code
   * "app.kubernetes.io/name"}).
   */
  static String key(String key) {
    return isName(key) ? key : Layout.quote(key);
  }

  /**
   * A label value bare when it reads back as a name, number or number-word ({@code v1}, {@code
   * 8080}, {@code 5xx}).
   */
  static String value(String value) {
    return isName(value) || NUMBER_OR_WORD.matcher(value).matches() ? value : Layout.quote(value);
  }

  private static boolean isName(String text) {
    return IDENT.matcher(text).matches() && !METHODS.contains(text);
  }
}
