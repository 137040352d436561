package dev.meshgate.compiler.ast;

/** A top-level declaration. */
public sealed interface Decl extends Node
    permits NamedDecl, MeshDecl, RuleDecl, CallDecl, TestDecl {}
