package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;
import java.util.List;
import java.util.Optional;

/** A statement inside a service block. */
public sealed interface ServiceStmt extends Node {

  /** {@code source static 127.0.0.1:9101 labels k=v, …}. */
  record StaticSource(List<Endpoint> endpoints, Span span) implements ServiceStmt {
    public StaticSource {
      endpoints = List.copyOf(endpoints);
    }
  }

  /** {@code source consul "name"} (reserved: not supported yet). */
  record ConsulSource(StringLit service, Span span) implements ServiceStmt {}

  /** {@code source kubernetes "ns/name" port http} (reserved: not supported yet). */
  record KubernetesSource(StringLit ref, Optional<Name> port, Span span) implements ServiceStmt {}

  /** {@code protocol http}. */
  record ProtocolStmt(Name protocol, Span span) implements ServiceStmt {}

  /** {@code subset NAME where k = "v" and …}. */
  record SubsetStmt(Name name, List<Label> where, Span span) implements ServiceStmt {
    public SubsetStmt {
      where = List.copyOf(where);
    }
  }

  /** One static endpoint: {@code HOST:PORT [labels k=v …]}. */
  record Endpoint(String host, Span hostSpan, NumberLit port, List<Label> labels, Span span)
      implements Node {
    public Endpoint {
      labels = List.copyOf(labels);
    }
  }

  /** {@code key=value} (endpoint label) or {@code key = "value"} (subset selector). */
  record Label(String key, String value, Span span) implements Node {}
}
