package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;
import java.util.List;
import java.util.Optional;

/**
 * access logs (issue 15): {@code access-log json|text ["TEMPLATE"] to stdout|stderr|file
 * "PATH"|otlp "HOST:PORT" { fields … only errors only slower-than 500ms sample 10% }}, on a gateway
 * or in a sidecar block. The words are kept as written; the checker says which ones it knows.
 * {@code hasBody}: written with a {@code { … }} block (the formatter keeps it).
 */
public record AccessLogSpec(
    Name format,
    Optional<StringLit> template,
    Sink sink,
    List<Clause> clauses,
    boolean hasBody,
    Span span)
    implements Node {
  public AccessLogSpec {
    clauses = List.copyOf(clauses);
  }

  /** The clauses of one kind, in order. */
  public <T extends Clause> List<T> all(Class<T> kind) {
    return clauses.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  /** Where the lines go. */
  public sealed interface Sink extends Node {
    /** {@code stdout}, {@code stderr} (or a mistyped word). */
    record Stream(Name name, Span span) implements Sink {}

    /** {@code file "/var/log/envoy/edge.log"}. */
    record File(StringLit path, Span span) implements Sink {}

    /** {@code otlp "127.0.0.1:4317"}: OTLP/gRPC logs to a collector (or a mistyped word). */
    record Otlp(Name name, StringLit address, Span span) implements Sink {}
  }

  /** One clause of the block. */
  public sealed interface Clause extends Node {
    /** {@code fields method, path, header "x-user", response-header "x-cache"}. */
    record Fields(List<Field> fields, Span span) implements Clause {
      public Fields {
        fields = List.copyOf(fields);
      }
    }

    /** {@code only errors}, {@code only slower-than 500ms}. */
    record Only(Name kind, Optional<DurationLit> duration, Span span) implements Clause {}

    /** {@code sample 10%}. */
    record Sample(NumberLit percent, Span span) implements Clause {}
  }

  /** A logged field. */
  public sealed interface Field extends Node {
    /** A field by name: {@code method}, {@code status}, … */
    record Named(Name name, Span span) implements Field {}

    /** {@code header "x-user"}: a request header. */
    record Header(StringLit header, Span span) implements Field {}

    /** {@code response-header "x-cache"}. */
    record ResponseHeader(StringLit header, Span span) implements Field {}
  }
}
