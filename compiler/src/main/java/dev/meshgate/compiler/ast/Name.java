package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;

/** An identifier as written (the checker verifies the {@code [a-z][a-z0-9-]*} shape). */
public record Name(String text, Span span) implements Node {}
