package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;
import java.util.List;
import java.util.Optional;

/** {@code mesh [NAME] { trust-domain "…" mtls strict authz default deny }}. */
public record MeshDecl(Optional<Name> name, List<MeshStmt> body, Span span) implements Decl {
  public MeshDecl {
    body = List.copyOf(body);
  }
}
