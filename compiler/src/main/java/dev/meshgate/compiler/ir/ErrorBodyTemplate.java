package dev.meshgate.compiler.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * custom responses (issue 13): the placeholders of an error body ({@code %status%}, {@code
 * %request-id%}, {@code %details%}) and how a body splits into text and placeholders. The checker
 * reports unknown ones; the translation maps each to Envoy's command operator. {@code %%} is a
 * literal {@code %}; any other {@code %} that does not open a {@code %word%} is literal too, so CSS
 * such as {@code width: 100%} needs no escaping.
 */
public final class ErrorBodyTemplate {
  private ErrorBodyTemplate() {}

  /** The placeholders, by the name the policy writes between percent signs. */
  public enum Placeholder {
    /** The response's status code, e.g. 503. */
    STATUS("status"),
    /** The request's {@code x-request-id}, as Envoy forwarded it upstream (and logs it). */
    REQUEST_ID("request-id"),
    /**
     * Why the response has this status, as Envoy says it: {@code via_upstream} for the backend's
     * own answer, {@code route_not_found}, {@code no_healthy_upstream}, {@code
     * upstream_response_timeout}, {@code jwt_authn_access_denied…}, …
     */
    DETAILS("details");

    private final String word;

    Placeholder(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }

    static Optional<Placeholder> of(String word) {
      for (Placeholder p : values()) {
        if (p.word.equals(word)) {
          return Optional.of(p);
        }
      }
      return Optional.empty();
    }
  }

  /** A piece of a body: literal text, a known placeholder, or an unknown {@code %word%}. */
  public sealed interface Part {
    record Text(String text) implements Part {}

    record Field(Placeholder placeholder) implements Part {}

    /** {@code %word%} that is no placeholder; {@code offset} is where it starts in the body. */
    record Unknown(String word, int offset) implements Part {}
  }

  private static final Pattern WORD = Pattern.compile("%([a-z][a-z0-9_-]*)%");

  /** The parts of {@code body}, adjacent text merged. */
  public static List<Part> parse(String body) {
    List<Part> parts = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    Matcher m = WORD.matcher(body);
    int i = 0;
    while (i < body.length()) {
      char c = body.charAt(i);
      if (c != '%') {
        text.append(c);
        i++;
        continue;
      }
      if (body.startsWith("%%", i)) {
        text.append('%');
        i += 2;
        continue;
      }
      m.region(i, body.length());
      if (!m.lookingAt()) {
        text.append('%');
        i++;
        continue;
      }
      if (!text.isEmpty()) {
        parts.add(new Part.Text(text.toString()));
        text.setLength(0);
      }
      String word = m.group(1);
      int at = i;
      parts.add(
          Placeholder.of(word)
              .<Part>map(Part.Field::new)
              .orElseGet(() -> new Part.Unknown(word, at)));
      i = m.end();
    }
    if (!text.isEmpty()) {
      parts.add(new Part.Text(text.toString()));
    }
    return List.copyOf(parts);
  }
}
