package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;
import java.util.List;

/**
 * {@code test "NAME" { expect … }}: a policy test. Never served to any proxy; {@code meshgate test}
 * evaluates its expectations against the compiled Envoy resources. {@code span} covers the header,
 * from the keyword to the name.
 */
public record TestDecl(StringLit name, List<ExpectStmt> expects, Span span) implements Decl {
  public TestDecl {
    expects = List.copyOf(expects);
  }
}
