package dev.meshgate.compiler.ir;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * access logs (issue 15): how one proxy (a gateway, or a service's sidecars) logs each request.
 * {@code parts} are the JSON object's fields in order (every part a {@link Part.Value}) or the text
 * line's pieces; empty text parts mean Envoy's default line. Filters combine with "and": a request
 * is logged when it is an error (if {@code onlyErrors}), slower than {@code slowerThan} (if set),
 * and drawn by the {@code samplePercent} sample (if set). {@code OTLP} names its collector in
 * {@code collector}.
 */
public record AccessLogIr(
    Format format,
    Sink sink,
    Optional<String> file,
    Optional<Collector> collector,
    List<Part> parts,
    boolean onlyErrors,
    Optional<Duration> slowerThan,
    OptionalInt samplePercent) {
  public AccessLogIr {
    parts = List.copyOf(parts);
  }

  /** The shape of a line. */
  public enum Format {
    JSON,
    TEXT
  }

  /**
   * Where lines go; {@code FILE} names its path in {@code file}, {@code OTLP} its collector in
   * {@code collector}.
   */
  public enum Sink {
    STDOUT,
    STDERR,
    FILE,
    OTLP
  }

  /** The cluster a proxy reaches the collector of its OTLP access log through. */
  public static final String OTLP_CLUSTER = "access-log:collector";

  /**
   * An OTLP/gRPC logs receiver at {@code host:port}; {@code serviceName} (the gateway's or the
   * service's name) is the {@code service.name} resource attribute of its log records.
   */
  public record Collector(String host, int port, String serviceName) {}

  /** What a field logs; {@code word} is how the policy names it. */
  public enum Field {
    START_TIME("start-time"),
    METHOD("method"),
    PATH("path"),
    PROTOCOL("protocol"),
    STATUS("status"),
    RESPONSE_FLAGS("response-flags"),
    BYTES_RECEIVED("bytes-received"),
    BYTES_SENT("bytes-sent"),
    DURATION("duration"),
    UPSTREAM_SERVICE_TIME("upstream-service-time"),
    FORWARDED_FOR("forwarded-for"),
    USER_AGENT("user-agent"),
    REQUEST_ID("request-id"),
    AUTHORITY("authority"),
    UPSTREAM_HOST("upstream-host"),
    UPSTREAM_CLUSTER("upstream-cluster"),
    CLIENT_ADDRESS("client-address"),
    /** {@code header "x-user"}: the request header named by the field. */
    REQUEST_HEADER("header"),
    /** {@code response-header "x-cache"}. */
    RESPONSE_HEADER("response-header");

    private final String word;

    Field(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }

    /** The field a policy word names, except the two header fields (written with a string). */
    public static Optional<Field> named(String word) {
      return Arrays.stream(values())
          .filter(f -> f != REQUEST_HEADER && f != RESPONSE_HEADER && f.word.equals(word))
          .findFirst();
    }

    /** The words of the fields written by name, in declaration order. */
    public static List<String> words() {
      return Arrays.stream(values())
          .filter(f -> f != REQUEST_HEADER && f != RESPONSE_HEADER)
          .map(Field::word)
          .toList();
    }
  }

  /** The fields of a JSON line when the policy names none: what Envoy's default line holds. */
  public static final List<Field> DEFAULT_JSON_FIELDS =
      List.of(
          Field.START_TIME,
          Field.METHOD,
          Field.PATH,
          Field.PROTOCOL,
          Field.STATUS,
          Field.RESPONSE_FLAGS,
          Field.BYTES_RECEIVED,
          Field.BYTES_SENT,
          Field.DURATION,
          Field.UPSTREAM_SERVICE_TIME,
          Field.FORWARDED_FOR,
          Field.USER_AGENT,
          Field.REQUEST_ID,
          Field.AUTHORITY,
          Field.UPSTREAM_HOST);

  /** A piece of a line. */
  public sealed interface Part {
    /** Text as written in a text template. */
    record Literal(String text) implements Part {}

    /**
     * A logged value; {@code key} is its JSON key (the field's word, or the header's name in lower
     * case), {@code header} the header a header field logs (lower case).
     */
    record Value(String key, Field field, Optional<String> header) implements Part {
      public static Value of(Field field) {
        return new Value(field.word(), field, Optional.empty());
      }
    }
  }
}
