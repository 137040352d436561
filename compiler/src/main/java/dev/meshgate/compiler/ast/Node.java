package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;

/** Every syntax node knows where it was written. */
public interface Node {
  Span span();
}
