package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;
import java.util.List;
import java.util.Optional;

/**
 * {@code allow|deny [dry-run] SOURCE -> DESTINATION [METHOD…] [PATH, …]}. {@code span} covers the
 * rule from its keyword to its last token.
 */
public record RuleDecl(
    Effect effect,
    Optional<Span> dryRun,
    Source source,
    Name destination,
    List<Name> methods,
    List<RouteDecl.PathPattern.Literal> paths,
    Span span)
    implements Decl {
  public RuleDecl {
    methods = List.copyOf(methods);
    paths = List.copyOf(paths);
  }

  public enum Effect {
    ALLOW,
    DENY;

    public String keyword() {
      return this == ALLOW ? "allow" : "deny";
    }
  }

  public boolean isDryRun() {
    return dryRun.isPresent();
  }

  /** Who the rule is about: a named service or gateway, or {@code *} (every peer). */
  public sealed interface Source extends Node {
    record Named(Name name, Span span) implements Source {}

    record Any(Span span) implements Source {}

    default String text() {
      return this instanceof Named n ? n.name().text() : "*";
    }
  }
}
