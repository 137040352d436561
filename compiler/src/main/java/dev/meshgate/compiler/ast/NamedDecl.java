package dev.meshgate.compiler.ast;

/** A declaration that introduces a name others refer to: a service or a gateway. */
public sealed interface NamedDecl extends Decl permits ServiceDecl, GatewayDecl {
  Name name();
}
