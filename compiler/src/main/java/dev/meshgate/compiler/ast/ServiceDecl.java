package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;
import java.util.List;

/** {@code service NAME { … }}. */
public record ServiceDecl(Name name, List<ServiceStmt> body, Span span) implements NamedDecl {
  public ServiceDecl {
    body = List.copyOf(body);
  }
}
