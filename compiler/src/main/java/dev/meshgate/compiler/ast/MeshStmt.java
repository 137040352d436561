package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;

/** A statement inside the mesh block; values are kept as written and judged by the checker. */
public sealed interface MeshStmt extends Node {

  /** The statement's keyword, for messages. */
  String keyword();

  /** {@code trust-domain "shop.example"}. */
  record TrustDomain(StringLit domain, Span span) implements MeshStmt {
    @Override
    public String keyword() {
      return "trust-domain";
    }
  }

  /** {@code mtls strict|permissive}. */
  record Mtls(Name mode, Span span) implements MeshStmt {
    @Override
    public String keyword() {
      return "mtls";
    }
  }

  /** {@code authz default allow|deny}. */
  record AuthzDefault(Name value, Span span) implements MeshStmt {
    @Override
    public String keyword() {
      return "authz default";
    }
  }
}
