package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;

/**
 * A {@code # …} comment as written, {@code #} included. {@code trailing} is true when code precedes
 * it on the same line ({@code route /a { to a } # why}), false for a comment on a line of its own.
 * Comments are not part of the tree: the parser collects them per file, for suppression comments
 * ({@code # meshgate:ignore MG701 reason}) and for the formatter.
 */
public record Comment(String text, Span span, boolean trailing) implements Node {}
