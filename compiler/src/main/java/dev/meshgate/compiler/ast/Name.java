package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;

/**
 * An identifier as written (the checker verifies the {@code [a-z][a-z0-9-]*} shape).
 *
 * <p>Its text is interned: the checker and the lowering look names up in maps keyed by other names
 * tens of thousands of times per compile (a mesh of 1,000 services makes 10,000 calls), and equal
 * names that are one instance compare by identity instead of by their characters. A 1,000-service
 * check took 0.53-0.84x the time with it (issue 17, docs/benchmarks.md). The JVM's string table
 * drops an interned text nothing refers to any more, so a long-running server's renamed services do
 * not pile up.
 */
public record Name(String text, Span span) implements Node {
  public Name {
    text = text.intern();
  }
}
