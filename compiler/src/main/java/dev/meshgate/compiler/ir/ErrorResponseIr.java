package dev.meshgate.compiler.ir;

import java.util.Locale;

/**
 * custom responses (issue 13): a response of {@code status} (a code such as {@code 404}, or a class
 * such as {@code 5xx}) is replaced by {@code body}, sent as {@code format}, with its status kept.
 * {@code body} is in the policy's placeholder syntax ({@link ErrorBodyTemplate}); {@code origin} is
 * the {@code file:line:col} of the statement it comes from.
 */
public record ErrorResponseIr(String status, Format format, String body, String origin) {

  /** The body formats, each with the content type it is sent with. */
  public enum Format {
    JSON("application/json"),
    HTML("text/html; charset=utf-8"),
    TEXT("text/plain; charset=utf-8");

    private final String contentType;

    Format(String contentType) {
      this.contentType = contentType;
    }

    public String contentType() {
      return contentType;
    }

    /** The word the policy writes: {@code json}, {@code html}, {@code text}. */
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Whether {@link #status} is a class ({@code 4xx}, {@code 5xx}) rather than one code. */
  public boolean statusClass() {
    return status.endsWith("xx");
  }

  /** Whether this response applies to the response status {@code code}. */
  public boolean covers(int code) {
    return statusClass()
        ? status.charAt(0) == (char) ('0' + code / 100)
        : status.equals(Integer.toString(code));
  }

  /** Whether every status this one applies to is also covered by {@code earlier}. */
  public boolean shadowedBy(ErrorResponseIr earlier) {
    if (earlier.statusClass()) {
      return status.charAt(0) == earlier.status.charAt(0);
    }
    return !statusClass() && status.equals(earlier.status);
  }
}
