package dev.meshgate.cli.report;

import dev.meshgate.compiler.check.Codes;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A short description of every diagnostic code, for SARIF's rule list. The compiler's codes are
 * read from {@link Codes} (constant {@code UNKNOWN_SERVICE = "MG201"} → "Unknown service"), so a
 * code added there is described here without a second list to keep in step.
 */
final class Rules {
  /** Codes made outside the compiler's Codes class, and SARIF-only rules. */
  private static final Map<String, String> EXTRA =
      Map.of(
          "MG601", "Catalog has no instance for the service",
          "MG602", "Subset selects none of the catalog's instances",
          "MG603", "Catalog refuses the source",
          TestRule.ID, "Policy test failed");

  private static final SortedMap<String, String> ALL = load();

  private Rules() {}

  static SortedMap<String, String> all() {
    return ALL;
  }

  /** The description of {@code code}, or a generic one for a code this build does not know. */
  static String describe(String code) {
    return ALL.getOrDefault(code, "Meshgate diagnostic " + code);
  }

  /** What the first digit of a code stands for, for SARIF's fullDescription. */
  static String category(String code) {
    if (code.length() < 3 || !code.startsWith("MG")) {
      return "meshgate";
    }
    return switch (code.charAt(2)) {
      case '1' -> "syntax";
      case '2' -> "names and references";
      case '3' -> "values and units";
      case '4' -> "routing";
      case '5' -> "service mesh and authorization";
      case '6' -> "live catalog";
      case '7' -> "whole-policy analysis";
      default -> "meshgate";
    };
  }

  private static SortedMap<String, String> load() {
    SortedMap<String, String> rules = new TreeMap<>(EXTRA);
    for (Field field : Codes.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        try {
          String code = (String) field.get(null);
          rules.putIfAbsent(code, sentence(field.getName()));
        } catch (IllegalAccessException e) {
          // Public constants are always readable; a field that is not is simply not described.
        }
      }
    }
    return rules;
  }

  /** {@code UNKNOWN_SERVICE} → {@code Unknown service}. */
  private static String sentence(String constant) {
    String words = constant.toLowerCase(Locale.ROOT).replace('_', ' ');
    return Character.toUpperCase(words.charAt(0)) + words.substring(1);
  }

  /** The rule a failing policy test is reported under in SARIF. */
  static final class TestRule {
    static final String ID = "meshgate-test";

    private TestRule() {}
  }
}
