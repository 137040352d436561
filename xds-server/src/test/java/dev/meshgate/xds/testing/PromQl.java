package dev.meshgate.xds.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shared by xds-server's and integration-tests' dashboard checks (this module's test-jar).
 *
 * <p>The metric names a PromQL expression reads: identifiers that are not functions, keywords,
 * label names, label values or durations. Enough PromQL for dashboards, not a parser.
 */
public final class PromQl {
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Set<String> KEYWORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "and",
          "or",
          "unless",
          "offset",
          "inf",
          "nan");

  private PromQl() {}

  public static Set<String> metricNames(String expr) {
    String rest =
        expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"") // label values
            .replaceAll("\\{[^}]*}", " ") // label matchers
            .replaceAll("\\[[^]]*]", " ") // ranges
            .replaceAll(
                "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ") // labels
            .replaceAll("\\$\\w+", " "); // Grafana variables
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(rest);
    while (m.find()) {
      String word = m.group();
      boolean call = rest.substring(m.end()).matches("(?s)\\s*\\(.*");
      boolean number = m.start() > 0 && Character.isDigit(rest.charAt(m.start() - 1));
      if (!call && !number && !KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
        names.add(word);
      }
    }
    return names;
  }

  /** Every {@code targets[].expr} of a Grafana dashboard. */
  public static List<String> expressions(Path dashboard) throws IOException {
    List<String> exprs = new ArrayList<>();
    collect(new ObjectMapper().readTree(dashboard.toFile()), exprs);
    return exprs;
  }

  private static void collect(JsonNode node, List<String> exprs) {
    if (node.isObject()) {
      if (node.path("expr").isTextual()) {
        exprs.add(node.path("expr").asText());
      }
      node.elements().forEachRemaining(child -> collect(child, exprs));
    } else if (node.isArray()) {
      node.elements().forEachRemaining(child -> collect(child, exprs));
    }
  }

  /** The metric names of a Prometheus text exposition. */
  public static Set<String> exported(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }
}
