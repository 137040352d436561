package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;
import java.util.List;

/**
 * tracing (issue 15): {@code tracing { collector "HOST:PORT" sample 10% tag "NAME" from header
 * "HEADER" }} on a gateway (its Envoy) or a service (its sidecars): OpenTelemetry spans sent over
 * OTLP/gRPC to the collector, for the given share of requests, with request headers as span tags.
 * The fields are kept as written, repeats included, for the checker.
 */
public record Tracing(List<Tracing.Field> fields, Span span) implements Node {
  public Tracing {
    fields = List.copyOf(fields);
  }

  /** The fields of one kind, in order. */
  public <T extends Field> List<T> all(Class<T> kind) {
    return fields.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  /** One field of a {@code tracing} block. */
  public sealed interface Field extends Node {
    /** {@code collector "127.0.0.1:4317"}: the OTLP/gRPC receiver. */
    record Collector(StringLit address, Span span) implements Field {}

    /** {@code sample 10%}: the share of requests traced (default 100%). */
    record Sample(NumberLit percent, Span span) implements Field {}

    /** {@code tag "tenant" from header "x-tenant"}: a span tag from a request header. */
    record Tag(StringLit name, StringLit header, Span span) implements Field {}
  }
}
