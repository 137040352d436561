package dev.meshgate.compiler;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One policy file as the compiler sees it: the name diagnostics print and its text.
 *
 * <p>A value class rather than a record so it can index its line starts once: every diagnostic
 * echoes a line, and splitting the whole text per diagnostic made a file with thousands of errors
 * quadratic.
 */
public final class Source {
  private final String name;
  private final String text;
  private final Optional<Malformed> malformed;
  // Indexed on first use; null until then.
  private volatile int @Nullable [] lineStarts;

  /**
   * Where a file read as UTF-8 was not UTF-8: the first bad sequence, which the text holds as
   * U+FFFD.
   *
   * @param index the character index of that U+FFFD in {@link #text()}
   * @param bytes the bytes that are not UTF-8, for the message
   */
  public record Malformed(int index, byte[] bytes) {}

  /**
   * @param name a display path, relative where possible (for example {@code examples/shop.mesh})
   * @param text the whole file
   */
  public Source(String name, String text) {
    this(name, text, Optional.empty());
  }

  private Source(String name, String text, Optional<Malformed> malformed) {
    this.name = Objects.requireNonNull(name, "name");
    this.text = Objects.requireNonNull(text, "text");
    this.malformed = malformed;
  }

  /**
   * A file's bytes read as UTF-8, without a leading byte order mark. Bytes that are not UTF-8 do
   * not fail the read (the message would have no file or position): they become U+FFFD, and {@link
   * #malformed()} says where the first was, for the parser to report.
   */
  public static Source decode(String name, byte[] bytes) {
    int start =
        bytes.length >= 3
                && bytes[0] == (byte) 0xEF
                && bytes[1] == (byte) 0xBB
                && bytes[2] == (byte) 0xBF
            ? 3
            : 0;
    ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
    CharsetDecoder strict =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult result = strict.decode(in, out, true);
    if (!result.isError()) {
      strict.flush(out);
      return new Source(name, out.flip().toString());
    }
    int index = out.position();
    byte[] bad = new byte[result.length()];
    in.get(in.position(), bad);
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPLACE)
              .onUnmappableCharacter(CodingErrorAction.REPLACE)
              .decode(ByteBuffer.wrap(bytes, start, bytes.length - start))
              .toString();
      return new Source(name, text, Optional.of(new Malformed(index, bad)));
    } catch (CharacterCodingException e) {
      throw new AssertionError("a replacing decoder does not fail", e);
    }
  }

  /**
   * The same text (and {@link #malformed()}) under another name: a file read once, named as a
   * bundle names it.
   */
  public Source renamed(String name) {
    return new Source(name, text, malformed);
  }

  /** Where the file was not UTF-8, if it was read by {@link #decode} and was not. */
  public Optional<Malformed> malformed() {
    return malformed;
  }

  public String name() {
    return name;
  }

  public String text() {
    return text;
  }

  /** How many lines the text has; lines end at {@code \n}, so a file without one has one line. */
  public int lineCount() {
    return lineStarts().length;
  }

  /** The 1-based line {@code line} without its line break, or "" past the end. */
  public String line(int line) {
    return excerpt(line, 0, Integer.MAX_VALUE);
  }

  /**
   * Characters {@code [from, to)} (0-based, clamped) of the 1-based line {@code line}, without its
   * line break; "" past the end. Lets a diagnostic on a megabyte-long line copy only what it shows.
   */
  public String excerpt(int line, int from, int to) {
    if (line < 1 || line > lineCount()) {
      return "";
    }
    int start = lineStarts()[line - 1];
    int end = lineEnd(line);
    int a = (int) Math.min((long) start + Math.max(0, from), end);
    int b = (int) Math.min((long) start + Math.max(0, to), end);
    return b > a ? text.substring(a, b) : "";
  }

  /** The span of {@code length} characters from character {@code index} of the text. */
  public Span spanAt(int index, int length) {
    int[] starts = lineStarts();
    int found = java.util.Arrays.binarySearch(starts, Math.max(0, index));
    int line = found >= 0 ? found + 1 : -found - 1;
    return new Span(name, line, index - starts[line - 1] + 1, length);
  }

  /** The length of the 1-based line {@code line} without its line break; 0 past the end. */
  public int lineLength(int line) {
    return line < 1 || line > lineCount() ? 0 : lineEnd(line) - lineStarts()[line - 1];
  }

  /** Where line {@code line} (in range) ends, before its {@code \n} or {@code \r\n}. */
  private int lineEnd(int line) {
    int[] starts = lineStarts();
    int start = starts[line - 1];
    int end = line < starts.length ? starts[line] - 1 : text.length();
    return end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
  }

  private int[] lineStarts() {
    int[] starts = lineStarts;
    if (starts == null) {
      int count = 1;
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          count++;
        }
      }
      starts = new int[count];
      int n = 1;
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) == '\n') {
          starts[n++] = i + 1;
        }
      }
      lineStarts = starts;
    }
    return starts;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Source other && name.equals(other.name) && text.equals(other.text);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, text);
  }

  @Override
  public String toString() {
    return "Source[name=" + name + ", text=" + text.length() + " chars]";
  }
}
