package dev.meshgate.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshgate.compiler.plan.Change;
import dev.meshgate.compiler.plan.FieldChange;
import dev.meshgate.compiler.plan.ResourceChange;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which route a path like {@code virtual_hosts[api.example].routes[3].route.timeout} is about, in
 * policy terms ({@code GET /catalog/**}), so a reader of a text plan need not count routes.
 */
final class RouteHints {
  private static final Pattern ROUTE =
      Pattern.compile("^virtual_hosts\\[(.+?)\\]\\.routes\\[(\\d+)\\](.*)$");

  private RouteHints() {}

  static Optional<String> hint(ResourceChange resource, FieldChange field) {
    Matcher m = ROUTE.matcher(field.path());
    if (!m.matches()) {
      return Optional.empty();
    }
    // A removed route is numbered as it was; anything else as it is now (see JsonDiff).
    boolean wholeRouteRemoved = field.change() == Change.REMOVED && m.group(3).isEmpty();
    Optional<String> config = wholeRouteRemoved ? resource.before() : resource.after();
    return config.flatMap(
        json -> describe(Json.parse(json), m.group(1), Integer.parseInt(m.group(2))));
  }

  private static Optional<String> describe(JsonNode config, String host, int index) {
    for (JsonNode vhost : config.path("virtual_hosts")) {
      if (vhost.path("name").asText().equals(host)) {
        JsonNode route = vhost.path("routes").path(index);
        return route.isMissingNode()
            ? Optional.empty()
            : Optional.of(describe(route.path("match")));
      }
    }
    return Optional.empty();
  }

  private static String describe(JsonNode match) {
    StringBuilder out = new StringBuilder("route ");
    int conditions = 0;
    for (JsonNode header : match.path("headers")) {
      if (header.path("name").asText().equals(":method")
          && header.path("string_match").has("exact")) {
        out.append(header.path("string_match").path("exact").asText()).append(' ');
      } else if (header.path("name").asText().equals(":method")
          && header.path("safe_regex_match").has("regex")) {
        out.append(
                header
                    .path("safe_regex_match")
                    .path("regex")
                    .asText()
                    .replaceAll("[\\^$()]", "")
                    .replace('|', ' '))
            .append(' ');
      } else {
        conditions++;
      }
    }
    conditions += match.path("query_parameters").size();
    if (match.has("path")) {
      out.append(match.path("path").asText());
    } else if (match.has("path_separated_prefix")) {
      out.append(match.path("path_separated_prefix").asText()).append("/**");
    } else if (match.has("prefix")) {
      String prefix = match.path("prefix").asText();
      out.append(prefix.equals("/") ? "/**" : prefix + "…");
    } else if (match.has("safe_regex")) {
      out.append("~ \"").append(match.path("safe_regex").path("regex").asText()).append('"');
    } else {
      out.append("(other match)");
    }
    if (conditions > 0) {
      out.append(" when …");
    }
    return out.toString();
  }
}
