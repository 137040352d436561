package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;

/**
 * A non-negative integer; {@code value} saturates at {@link Long#MAX_VALUE}, {@code text} is as
 * written.
 */
public record NumberLit(long value, String text, Span span) implements Node {}
