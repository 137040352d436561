package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;
import java.util.List;

/**
 * {@code route [METHOD…] PATH [when COND and …] { … }}. {@code span} covers the route's header,
 * from the keyword up to the brace: diagnostics about the whole route point there.
 */
public record RouteDecl(
    List<Name> methods,
    PathPattern path,
    List<Condition> conditions,
    List<RouteStmt> body,
    Span span)
    implements Node {
  public RouteDecl {
    methods = List.copyOf(methods);
    conditions = List.copyOf(conditions);
    body = List.copyOf(body);
  }

  /** How a route matches the path. */
  public sealed interface PathPattern extends Node {
    /** {@code /exact}, {@code /api/**} or {@code /**}, as written. */
    record Literal(String text, Span span) implements PathPattern {}

    /** {@code ~ "regex"}. */
    record Regex(StringLit regex, Span span) implements PathPattern {}
  }

  /** {@code header "name" = "v"}, {@code query "q" ~ "re"}. */
  public record Condition(Kind kind, StringLit name, boolean regex, StringLit value, Span span)
      implements Node {
    public enum Kind {
      HEADER,
      QUERY;

      public String keyword() {
        return this == HEADER ? "header" : "query";
      }
    }
  }
}
