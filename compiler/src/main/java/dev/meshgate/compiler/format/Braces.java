package dev.meshgate.compiler.format;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the braces of a file are. The syntax tree records where a block starts but not where its
 * {@code }} stands, which the printer needs to tell a comment at the end of a block from one before
 * the next statement. Outside strings and comments every brace is a token (paths and names cannot
 * hold one), so a scan that skips those two is exact for a file that parsed.
 */
final class Braces {
  private final List<Pos> opens;
  private final Map<Pos, Pos> closeOf;

  private Braces(List<Pos> opens, Map<Pos, Pos> closeOf) {
    this.opens = opens;
    this.closeOf = closeOf;
  }

  static Braces scan(String text) {
    List<Pos> opens = new ArrayList<>();
    Map<Pos, Pos> closeOf = new HashMap<>();
    Deque<Pos> stack = new ArrayDeque<>();
    int line = 1;
    int column = 1;
    boolean inString = false;
    boolean inComment = false;
    boolean escaped = false;
    int[] cps = text.codePoints().toArray();
    for (int cp : cps) {
      if (cp == '\n') {
        inString = false;
        inComment = false;
        escaped = false;
        line++;
        column = 1;
        continue;
      }
      if (inComment) {
        // to the end of the line
      } else if (inString) {
        if (escaped) {
          escaped = false;
        } else if (cp == '\\') {
          escaped = true;
        } else if (cp == '"') {
          inString = false;
        }
      } else if (cp == '#') {
        inComment = true;
      } else if (cp == '"') {
        inString = true;
      } else if (cp == '{') {
        Pos at = new Pos(line, column);
        opens.add(at);
        stack.push(at);
      } else if (cp == '}' && !stack.isEmpty()) {
        closeOf.put(stack.pop(), new Pos(line, column));
      }
      column++;
    }
    return new Braces(List.copyOf(opens), closeOf);
  }

  /** The first opening brace after {@code from}. */
  Optional<Pos> openAfter(Pos from) {
    for (Pos open : opens) {
      if (from.before(open)) {
        return Optional.of(open);
      }
    }
    return Optional.empty();
  }

  /** The closing brace matching {@code open}. */
  Pos closeOf(Pos open) {
    Pos close = closeOf.get(open);
    if (close == null) {
      throw new IllegalStateException("unbalanced brace at " + open + " in a file that parsed");
    }
    return close;
  }
}
