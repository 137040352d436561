package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;

/**
 * A double-quoted string. {@code value} has the quotes removed and escapes resolved; {@code raw} is
 * the token text (used to point inside the string, e.g. at a regex error).
 */
public record StringLit(String value, String raw, Span span) implements Node {}
