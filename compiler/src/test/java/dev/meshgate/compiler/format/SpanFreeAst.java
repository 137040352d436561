package dev.meshgate.compiler.format;

import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.Comment;
import dev.meshgate.compiler.ast.PolicyFile;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Optional;

/**
 * Renders a syntax tree as text without anything that says <em>where</em> it was written: spans,
 * the source, and a string's raw token text (the formatter may re-quote a string; its value is what
 * counts). Generic over records, so a node added later is compared too. Comments are rendered by
 * text, in order: the formatter must keep every one.
 */
final class SpanFreeAst {
  private SpanFreeAst() {}

  static String render(PolicyFile file) {
    StringBuilder sb = new StringBuilder();
    value(file.decls(), sb, 0);
    sb.append("\ncomments:");
    for (Comment c : file.comments()) {
      sb.append("\n  ").append(c.text().stripTrailing());
    }
    return sb.toString();
  }

  private static boolean isHeaderName(Record r, RecordComponent component) {
    return component.getName().equals("name")
        && (r instanceof RouteStmt.HeaderChange
            || (r instanceof RouteDecl.Condition c && c.kind() == RouteDecl.Condition.Kind.HEADER));
  }

  private static void value(Object v, StringBuilder sb, int depth) {
    switch (v) {
      case null -> sb.append("null");
      case Span s -> sb.append("<span>");
      case Source s -> sb.append("<source>");
      case Optional<?> o -> {
        if (o.isEmpty()) {
          sb.append("empty");
        } else {
          sb.append("some ");
          value(o.get(), sb, depth);
        }
      }
      case Collection<?> c -> {
        sb.append('[');
        for (Object e : c) {
          sb.append('\n').append("  ".repeat(depth + 1));
          value(e, sb, depth + 1);
        }
        sb.append(']');
      }
      case Record r -> {
        sb.append(r.getClass().getName().replaceFirst(".*\\.", "")).append('(');
        boolean first = true;
        for (RecordComponent component : r.getClass().getRecordComponents()) {
          if (component.getType() == Span.class
              || component.getType() == Source.class
              || (r instanceof StringLit && component.getName().equals("raw"))) {
            continue;
          }
          if (!first) {
            sb.append(", ");
          }
          first = false;
          sb.append(component.getName()).append('=');
          try {
            Object field = component.getAccessor().invoke(r);
            if (isHeaderName(r, component) && field instanceof StringLit name) {
              // fmt lower-cases header names (they are case-insensitive): the same tree either way.
              field = name.value().toLowerCase(java.util.Locale.ROOT);
            }
            value(field, sb, depth);
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
          }
        }
        sb.append(')');
      }
      case String s -> sb.append('"').append(s).append('"');
      default -> sb.append(v);
    }
  }
}
