package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;
import java.util.List;

/** {@code gateway NAME { listen … host … }}. */
public record GatewayDecl(Name name, List<GatewayStmt> body, Span span) implements NamedDecl {
  public GatewayDecl {
    body = List.copyOf(body);
  }
}
