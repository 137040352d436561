package dev.meshgate.compiler;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * At most {@link #PER_FILE} diagnostics per file, then one MG106 line saying how many more there
 * are. A broken or hostile file can make the parser report at every token; past the first hundred
 * nobody reads them, and printing them all once took gigabytes.
 */
public final class DiagnosticLimit {
  /** The most diagnostics shown for one file. */
  public static final int PER_FILE = 100;

  static final String TOO_MANY_DIAGNOSTICS = "MG106";

  private DiagnosticLimit() {}

  /**
   * {@code diagnostics} with each file's beyond the first {@link #PER_FILE} (in order) summed up.
   */
  public static List<Diagnostic> perFile(List<Diagnostic> diagnostics) {
    Map<String, List<Diagnostic>> byFile = new LinkedHashMap<>();
    for (Diagnostic d : diagnostics) {
      byFile.computeIfAbsent(d.span().file(), f -> new ArrayList<>()).add(d);
    }
    List<Diagnostic> out = new ArrayList<>();
    byFile.values().forEach(file -> out.addAll(oneFile(file, 0)));
    return out;
  }

  /**
   * One file's diagnostics, capped: the first {@link #PER_FILE} in {@link Diagnostic#ORDER}, and
   * when there are more, one diagnostic where the first left-out one was, counting them along with
   * {@code dropped} ones that were never even kept (see {@link Collector}).
   */
  public static List<Diagnostic> oneFile(List<Diagnostic> diagnostics, int dropped) {
    if (diagnostics.size() <= PER_FILE && dropped == 0) {
      return diagnostics;
    }
    List<Diagnostic> sorted = diagnostics.stream().sorted(Diagnostic.ORDER).toList();
    if (sorted.size() <= PER_FILE) {
      // Only never-kept ones are left out: there is no position to point at but the last shown.
      return sorted;
    }
    List<Diagnostic> shown = new ArrayList<>(sorted.subList(0, PER_FILE));
    List<Diagnostic> hidden = sorted.subList(PER_FILE, sorted.size());
    Diagnostic first = hidden.get(0);
    boolean errors = dropped > 0 || hidden.stream().anyMatch(Diagnostic::isError);
    shown.add(
        new Diagnostic(
            errors ? Severity.ERROR : Severity.WARNING,
            TOO_MANY_DIAGNOSTICS,
            first.span(),
            String.format(
                Locale.ROOT,
                "too many diagnostics in this file: not showing %,d more from here on; fix the"
                    + " first %d and check again",
                hidden.size() + dropped,
                PER_FILE),
            first.sourceLine(),
            first.columnShift()));
    return shown;
  }

  /**
   * A list for one file's diagnostics that keeps the first {@link #PER_FILE} + 1 added (enough to
   * know where to point the MG106 line) and only counts the rest, so a million errors cost no
   * memory.
   */
  public static final class Collector extends AbstractList<Diagnostic> {
    private final List<Diagnostic> kept = new ArrayList<>();
    private int dropped;

    @Override
    public boolean add(Diagnostic d) {
      if (kept.size() <= PER_FILE) {
        kept.add(d);
      } else {
        dropped++;
      }
      return true;
    }

    @Override
    public Diagnostic get(int index) {
      return kept.get(index);
    }

    @Override
    public int size() {
      return kept.size();
    }

    /** Whether some diagnostics will not be shown. */
    public boolean overflowed() {
      return kept.size() > PER_FILE;
    }

    /** The capped list: what {@link #oneFile} makes of everything added. */
    public List<Diagnostic> capped() {
      return oneFile(kept, dropped);
    }
  }
}
