package dev.meshgate.compiler.format;

import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.ast.Comment;
import dev.meshgate.compiler.format.Layout.Block;
import dev.meshgate.compiler.format.Layout.Item;
import dev.meshgate.compiler.format.Layout.Line;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Prints items with their comments. Each comment is tied to a neighbouring construct by position,
 * so it moves with that construct:
 *
 * <ul>
 *   <li>a comment on a line of its own belongs to the next construct (printed just before it, at
 *       its indentation), or, when a {@code }} comes first, to the end of that block;
 *   <li>a comment after code on the same line stays at the end of the line printed for the code
 *       just before it (a statement, a block's header, or a block's {@code }}); a block written on
 *       one line and printed on several keeps its end-of-line comment on the header;
 *   <li>comments after the last declaration stay at the end of the file.
 * </ul>
 *
 * Blank lines: one between top-level declarations when either prints on several lines; elsewhere
 * one blank line in the source (several count as one) is kept between two statements or comments,
 * never after a {@code {} or before a {@code }}.
 */
final class Printer {
  private static final String INDENT = "  ";
  private static final String IGNORE_DIRECTIVE = "meshgate:ignore";

  /**
   * A route with a one-statement body prints on one line only if that line fits; an {@code expect}
   * wider than this puts its checks on continuation lines.
   */
  private static final int MAX_WIDTH = 100;

  private final String[] sourceLines;
  private final List<Item> items;

  private final Map<Item, List<Comment>> leading = new IdentityHashMap<>();
  private final Map<Item, List<Comment>> trailing = new IdentityHashMap<>();
  private final Map<Block, List<Comment>> closeTrailing = new IdentityHashMap<>();
  private final Map<Block, List<Comment>> inside = new IdentityHashMap<>();
  private final List<Comment> footer = new ArrayList<>();

  /** Items and comments preceded by a blank line in the source. */
  private final Set<Object> blankBefore = Collections.newSetFromMap(new IdentityHashMap<>());

  private final StringBuilder out = new StringBuilder();
  private boolean lastBlank = true;

  Printer(Source source, List<Item> items, List<Comment> comments) {
    this.sourceLines = source.text().split("\r?\n", -1);
    this.items = items;
    attach(comments);
  }

  /** A point of the file the printer knows about: where an item starts, or where a block closes. */
  private record Event(Pos pos, Item item, boolean close) {}

  private void attach(List<Comment> comments) {
    List<Event> events = new ArrayList<>();
    items.forEach(item -> collect(item, events));

    // Blank lines: a construct or comment that starts its line after an empty one.
    int e = 0;
    int previousLine = 0;
    for (Comment comment : comments) {
      Pos at = Pos.of(comment.span());
      for (; e < events.size() && events.get(e).pos().before(at); e++) {
        previousLine = mark(events.get(e), previousLine);
      }
      markBlank(comment, blankAbove(at.line(), previousLine));
      previousLine = at.line();
    }
    for (; e < events.size(); e++) {
      previousLine = mark(events.get(e), previousLine);
    }

    for (Comment comment : comments) {
      Pos at = Pos.of(comment.span());
      if (comment.trailing()) {
        Event before = null;
        for (Event event : events) {
          if (!event.pos().before(at)) {
            break;
          }
          before = event;
        }
        if (before == null) {
          footer.add(comment); // cannot happen: code precedes a trailing comment
        } else if (before.close()) {
          closeTrailing.computeIfAbsent((Block) before.item(), k -> new ArrayList<>()).add(comment);
        } else {
          trailing.computeIfAbsent(before.item(), k -> new ArrayList<>()).add(comment);
        }
      } else {
        Event after = events.stream().filter(ev -> at.before(ev.pos())).findFirst().orElse(null);
        if (after == null) {
          footer.add(comment);
        } else if (after.close()) {
          inside.computeIfAbsent((Block) after.item(), k -> new ArrayList<>()).add(comment);
        } else {
          leading.computeIfAbsent(after.item(), k -> new ArrayList<>()).add(comment);
        }
      }
    }
  }

  private void markBlank(Object itemOrComment, boolean blank) {
    if (blank) {
      blankBefore.add(itemOrComment);
    } else {
      blankBefore.remove(itemOrComment);
    }
  }

  private int mark(Event event, int previousLine) {
    if (!event.close()) {
      markBlank(event.item(), blankAbove(event.pos().line(), previousLine));
    }
    return event.pos().line();
  }

  /** Whether line {@code line} starts after an empty line that follows everything before it. */
  private boolean blankAbove(int line, int previousLine) {
    return line >= 2 && previousLine < line - 1 && sourceLines[line - 2].isBlank();
  }

  private static void collect(Item item, List<Event> events) {
    events.add(new Event(item.start(), item, false));
    if (item instanceof Block b) {
      b.children().forEach(child -> collect(child, events));
      events.add(new Event(b.close(), b, true));
    }
  }

  // ------------------------------------------------------------------ printing

  String print() {
    Item previous = null;
    boolean first = true;
    for (Item item : items) {
      // Top level: a declaration printed on several lines is always set apart by a blank line.
      boolean forced = previous != null && (!oneLine(previous) || !oneLine(item));
      first = entries(item, 0, first, forced);
      previous = item;
    }
    for (Comment comment : footer) {
      comment(comment, 0, first);
      first = false;
    }
    return out.toString();
  }

  /** Whether an item prints on a single line: a statement, or a block with nothing inside. */
  private boolean oneLine(Item item) {
    return switch (item) {
      case Line l ->
          trailing.getOrDefault(l, List.of()).size() <= 1
              && (l.wrap().isEmpty() || fits(0, l.oneLine()));
      case Block b -> empty(b) && closeTrailing.getOrDefault(b, List.of()).size() <= 1;
    };
  }

  private boolean empty(Block b) {
    return b.children().isEmpty() && !trailing.containsKey(b) && !inside.containsKey(b);
  }

  /** Prints an item's leading comments, then the item; returns false (something was printed). */
  private boolean entries(Item item, int depth, boolean first, boolean forceBlank) {
    boolean firstEntry = true;
    for (Comment comment : leading.getOrDefault(item, List.of())) {
      if (!first && ((firstEntry && forceBlank) || blankBefore.contains(comment))) {
        blank();
      }
      line(depth, text(comment));
      first = false;
      firstEntry = false;
    }
    if (!first && ((firstEntry && forceBlank) || blankBefore.contains(item))) {
      blank();
    }
    item(item, depth);
    return false;
  }

  private void comment(Comment comment, int depth, boolean first) {
    if (!first && blankBefore.contains(comment)) {
      blank();
    }
    line(depth, text(comment));
  }

  private void item(Item item, int depth) {
    switch (item) {
      case Line l -> {
        List<Comment> after = trailing.getOrDefault(l, List.of());
        if (l.wrap().isEmpty() || fits(depth, l.oneLine())) {
          line(depth, l.oneLine() + trailer(after));
        } else {
          line(depth, l.text());
          for (int i = 0; i < l.wrap().size(); i++) {
            line(depth + 1, l.wrap().get(i) + (i == l.wrap().size() - 1 ? trailer(after) : ""));
          }
        }
        extra(after, depth);
      }
      case Block b -> block(b, depth);
    }
  }

  private void block(Block b, int depth) {
    List<Comment> header = trailing.getOrDefault(b, List.of());
    List<Comment> end = inside.getOrDefault(b, List.of());
    List<Comment> close = closeTrailing.getOrDefault(b, List.of());
    boolean empty = empty(b);

    if (empty && b.kind() == Block.Kind.CALL) {
      line(depth, b.header() + trailer(close)); // `call a -> b {}` says no more than `call a -> b`
      extra(close, depth);
      return;
    }
    if (empty) {
      line(depth, b.header() + " {}" + trailer(close));
      extra(close, depth);
      return;
    }
    if (b.kind() == Block.Kind.ROUTE
        && header.isEmpty()
        && end.isEmpty()
        && b.children().size() == 1
        && b.children().getFirst() instanceof Line only
        && !leading.containsKey(only)
        && !trailing.containsKey(only)) {
      String inline = b.header() + " { " + only.oneLine() + " }";
      if (only.wrap().isEmpty() && fits(depth, inline)) {
        line(depth, inline + trailer(close));
        extra(close, depth);
        return;
      }
    }
    if (b.start().line() == b.close().line()
        && close.stream().anyMatch(c -> c.text().contains(IGNORE_DIRECTIVE))) {
      // A one-line block with an ignore comment at its end stays on one line: the ignore applies
      // to its own line, and findings inside point at the statement they are about (MG410 at
      // `retry`), which expanding would move away from the comment (found by fuzzing, issue 9).
      Optional<String> inline = inline(b);
      if (inline.isPresent()) {
        line(depth, inline.get() + trailer(close));
        extra(close, depth);
        return;
      }
    }
    if (b.start().line() == b.close().line() && !close.isEmpty()) {
      // The whole block was on one line, with a comment at its end: keep the comment on the
      // header's line, where findings about the block point (a `# meshgate:ignore` there must
      // keep silencing them), rather than on a `}` line of its own.
      header = new ArrayList<>(header);
      header.addAll(close);
      close = List.of();
    }
    line(depth, b.header() + " {" + trailer(header));
    extra(header, depth + 1);
    boolean first = true;
    for (Item child : b.children()) {
      first = entries(child, depth + 1, first, false);
    }
    for (Comment comment : end) {
      comment(comment, depth + 1, first);
      first = false;
    }
    line(depth, "}" + trailer(close));
    extra(close, depth);
  }

  /**
   * {@code item} printed on one line, if no comment is attached anywhere inside it (comments after
   * its own closing brace are the caller's).
   */
  private Optional<String> inline(Item item) {
    if (leading.containsKey(item) || trailing.containsKey(item)) {
      return Optional.empty();
    }
    return switch (item) {
      case Line l -> Optional.of(l.oneLine());
      case Block b -> {
        if (inside.containsKey(b)) {
          yield Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        for (Item child : b.children()) {
          Optional<String> part = inline(child);
          if (part.isEmpty() || closeTrailing.containsKey(child)) {
            yield Optional.empty();
          }
          parts.add(part.get());
        }
        if (parts.isEmpty()) {
          yield Optional.of(b.kind() == Block.Kind.CALL ? b.header() : b.header() + " {}");
        }
        yield Optional.of(b.header() + " { " + String.join(" ", parts) + " }");
      }
    };
  }

  /** The first trailing comment goes at the end of the line. */
  private static String trailer(List<Comment> comments) {
    return comments.isEmpty() ? "" : " " + text(comments.getFirst());
  }

  /**
   * Further trailing comments of the same construct (a statement written over several lines with a
   * comment on each) follow it on lines of their own.
   */
  private void extra(List<Comment> comments, int depth) {
    for (int i = 1; i < comments.size(); i++) {
      line(depth, text(comments.get(i)));
    }
  }

  private static boolean fits(int depth, String text) {
    return INDENT.length() * depth + text.length() <= MAX_WIDTH;
  }

  private static String text(Comment comment) {
    return comment.text().stripTrailing();
  }

  private void line(int depth, String text) {
    out.append(INDENT.repeat(depth)).append(text).append('\n');
    lastBlank = false;
  }

  private void blank() {
    if (!lastBlank) {
      out.append('\n');
      lastBlank = true;
    }
  }
}
