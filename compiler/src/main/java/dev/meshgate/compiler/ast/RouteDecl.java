package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;
import java.util.List;

/**
 * {@code route [METHOD…] PATH [when COND and …] [or …] { … }}. {@code span} covers the route's
 * header, from the keyword up to the brace: diagnostics about the whole route point there. {@code
 * methods}, {@code path} and {@code conditions} are the first alternative; {@code orElse} holds the
 * ones written after {@code or} (see {@link #alternatives}).
 */
public record RouteDecl(
    List<Name> methods,
    PathPattern path,
    List<Condition> conditions,
    List<RouteStmt> body,
    Span span,
    List<Alternative> orElse)
    implements Node {
  public RouteDecl {
    methods = List.copyOf(methods);
    conditions = List.copyOf(conditions);
    body = List.copyOf(body);
    orElse = List.copyOf(orElse);
  }

  /** A route with one alternative. */
  public RouteDecl(
      List<Name> methods,
      PathPattern path,
      List<Condition> conditions,
      List<RouteStmt> body,
      Span span) {
    this(methods, path, conditions, body, span, List.of());
  }

  /**
   * Every alternative, in order: the route matches a request that any of them matches. Each lowers
   * to an Envoy route of its own, with the same action.
   */
  public List<Alternative> alternatives() {
    List<Alternative> all = new java.util.ArrayList<>(1 + orElse.size());
    all.add(new Alternative(methods, path, conditions, span));
    all.addAll(orElse);
    return List.copyOf(all);
  }

  /**
   * One way to match: methods (none: any), a path and conditions, all of which must hold. {@code
   * span}: for the first alternative the route's header, for the others the alternative itself.
   */
  public record Alternative(
      List<Name> methods, PathPattern path, List<Condition> conditions, Span span) implements Node {
    public Alternative {
      methods = List.copyOf(methods);
      conditions = List.copyOf(conditions);
    }
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
