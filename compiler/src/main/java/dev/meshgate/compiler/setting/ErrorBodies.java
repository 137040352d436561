package dev.meshgate.compiler.setting;

import static dev.meshgate.compiler.setting.SettingCodes.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.compiler.ir.ErrorBodyTemplate;
import dev.meshgate.compiler.ir.ErrorResponseIr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * custom responses (issue 13): an error body, written inline or read from a file next to the policy
 * at compile time (it is content, like the policy, not a secret), and its checks: size,
 * placeholders, and for {@code json} whether Envoy's JSON formatter can send it.
 */
final class ErrorBodies {
  /**
   * Every route that uses a body carries it in the route table Envoy holds in memory: an error page
   * is a page, not a site.
   */
  static final int MAX_BYTES = 64 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private ErrorBodies() {}

  /** The body's text; only called on a checked statement, whose file could be read. */
  static String text(RouteStmt.ErrorResponse.Body body) {
    if (!body.file()) {
      return body.text().value();
    }
    try {
      return Files.readString(resolve(body.text()), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void check(
      RouteStmt.ErrorResponse.Body body,
      Optional<ErrorResponseIr.Format> format,
      SettingChecks checks) {
    StringLit at = body.text();
    String text;
    if (body.file()) {
      Path path = resolve(at);
      try {
        text = Files.readString(path, StandardCharsets.UTF_8);
      } catch (IOException | RuntimeException e) {
        checks.error(
            ERROR_FILE,
            at.span(),
            "cannot read error body file \""
                + at.value()
                + "\" ("
                + path
                + "); the file is read when the policy compiles, relative to the policy file");
        return;
      }
    } else {
      text = at.value();
    }
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      checks.error(
          ERROR_BODY_SIZE,
          at.span(),
          "this error body has "
              + bytes
              + " bytes; at most "
              + MAX_BYTES
              + " fit (every route that uses it carries it in Envoy's route table): link"
              + " styles and images instead of inlining them");
      return;
    }
    if (format.filter(f -> f == ErrorResponseIr.Format.JSON).isPresent()) {
      json(text, at, checks);
    } else {
      placeholders(text, at, checks);
    }
  }

  /** Unknown {@code %word%} in some text, each with the nearest placeholder. */
  private static boolean placeholders(String text, StringLit at, SettingChecks checks) {
    boolean ok = true;
    for (ErrorBodyTemplate.Part part : ErrorBodyTemplate.parse(text)) {
      if (part instanceof ErrorBodyTemplate.Part.Unknown u) {
        ok = false;
        String known =
            Arrays.stream(ErrorBodyTemplate.Placeholder.values())
                .map(p -> "%" + p.word() + "%")
                .collect(Collectors.joining(", "));
        String nearest =
            Arrays.stream(ErrorBodyTemplate.Placeholder.values())
                .map(ErrorBodyTemplate.Placeholder::word)
                .min(
                    Comparator.comparingInt(
                        (String w) -> LevenshteinDistance.getDefaultInstance().apply(w, u.word())))
                .filter(w -> LevenshteinDistance.getDefaultInstance().apply(w, u.word()) <= 3)
                .map(w -> "did you mean %" + w + "%? ")
                .orElse("");
        checks.error(
            ERROR_PLACEHOLDER,
            at.span(),
            "unknown placeholder %"
                + u.word()
                + "% in the error body; "
                + nearest
                + "the placeholders are "
                + known
                + " (write %% for a percent sign)");
      }
    }
    return ok;
  }

  /**
   * A json body is sent by Envoy's JSON formatter, which escapes what the placeholders insert (a
   * request id cannot break the envelope): it takes an object of strings and objects, with
   * placeholders inside strings (it would send numbers in lists as strings, and refuses true, false
   * and null).
   */
  private static void json(String text, StringLit at, SettingChecks checks) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      checks.error(
          ERROR_JSON,
          at.span(),
          "the json error body is not valid JSON (line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + "); placeholders go inside strings, like {\"status\": \"%status%\"}");
      return;
    }
    if (root == null || !root.isObject()) {
      checks.error(
          ERROR_JSON,
          at.span(),
          "a json error body must be a JSON object, like {\"error\": \"%status%\", \"request_id\":"
              + " \"%request-id%\"}");
      return;
    }
    Optional<String> unsupported = unsupported(root, "");
    if (unsupported.isPresent()) {
      checks.error(
          ERROR_JSON,
          at.span(),
          "the json error body has a number, list, true, false or null at "
              + unsupported.get()
              + "; Envoy's JSON formatter sends strings and objects here: write it as a string,"
              + " like \"2\" (a value that is only a placeholder, like \"%status%\", is sent as"
              + " what it holds, a number for the status)");
      return;
    }
    placeholders(strings(root), at, checks);
  }

  /** Where the first value that is neither a string nor an object is, as a JSON pointer. */
  private static Optional<String> unsupported(JsonNode node, String pointer) {
    if (!node.isTextual() && !node.isObject()) {
      return Optional.of(pointer.isEmpty() ? "/" : pointer);
    }
    if (node.isObject()) {
      for (var field : (Iterable<java.util.Map.Entry<String, JsonNode>>) node::fields) {
        Optional<String> found = unsupported(field.getValue(), pointer + "/" + field.getKey());
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  /** Every string value, one per line: where placeholders may be. */
  private static String strings(JsonNode node) {
    StringBuilder sb = new StringBuilder();
    node.forEach(
        child -> {
          if (child.isTextual()) {
            sb.append(child.textValue()).append('\n');
          } else {
            sb.append(strings(child));
          }
        });
    return sb.toString();
  }

  /** As {@code check/JwksFiles} resolves it: relative to the policy file's directory. */
  static Path resolve(StringLit written) {
    Path path = Path.of(written.value());
    if (path.isAbsolute()) {
      return path;
    }
    Path dir = Path.of(written.span().file()).getParent();
    return dir == null ? path : dir.resolve(path);
  }
}
