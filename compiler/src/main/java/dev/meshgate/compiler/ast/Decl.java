package dev.meshgate.compiler.ast;

/** A top-level declaration. */
public sealed interface Decl extends Node permits ServiceDecl, GatewayDecl {
  Name name();
}
