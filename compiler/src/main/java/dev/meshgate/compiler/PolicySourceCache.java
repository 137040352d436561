package dev.meshgate.compiler;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/**
 * {@link PolicySources#load} for a server that loads the same files again on every edit: a file
 * whose attributes (file key, size, modification time) are those of its last read is not read
 * again. Reading every file was 13 ms of a 60 ms reload at 1,000 files (issue 17.1); their
 * attributes come with the directory walk that finds them anyway.
 *
 * <p>A modification time has the file system's granularity (a few milliseconds here, two seconds on
 * FAT), so a file rewritten with the same size within one tick keeps its attributes: git's "racily
 * clean" index entries. The same rule applies: a read is trusted only for a file that was already
 * {@link #SETTLED} old when the walk that found it began; a newer one is read on every load until
 * it settles. Any later write then gets a later time. As a second line (a clock stepped back, a
 * network file system's clock behind ours), a load whose files all look unchanged reads them all:
 * the watcher saw an event, so something may have changed that the attributes hide.
 *
 * <p>Not thread-safe: one per reloader, whose loads and calls of {@link #untilSettled} hold its
 * lock.
 */
public final class PolicySourceCache {
  /** How old a file must be before its attributes alone say it has not changed. */
  static final Duration SETTLED = Duration.ofSeconds(3);

  /** After {@link #untilSettled()}: a walk that begins then finds every such file settled. */
  private static final Duration MARGIN = Duration.ofMillis(50);

  private record Read(Object fileKey, long size, FileTime modified, Instant walked, Source source) {
    boolean stillFor(BasicFileAttributes now) {
      return Objects.equals(fileKey, now.fileKey())
          && size == now.size()
          && modified.equals(now.lastModifiedTime())
          && settled();
    }

    /** The file was already settled when it was read, so this read can be trusted later. */
    boolean settled() {
      return modified.toInstant().isBefore(walked.minus(SETTLED));
    }
  }

  private final Clock clock;
  private Map<Path, Read> reads = Map.of();

  public PolicySourceCache() {
    this(Clock.systemUTC());
  }

  PolicySourceCache(Clock clock) {
    this.clock = clock;
  }

  /**
   * What {@link PolicySources#load} returns for {@code paths}: the same sources, names and order.
   *
   * @throws IOException when a path does not exist or a file cannot be read
   */
  public List<Source> load(List<Path> paths) throws IOException {
    Instant walked = clock.instant(); // before any file is looked at: see the class comment
    SortedMap<Path, BasicFileAttributes> files = PolicySources.files(paths);
    Map<Path, Read> before = reads;
    Map<Path, Read> next = reuse(files, walked, before);
    if (next.size() == before.size()
        && next.entrySet().stream().allMatch(e -> e.getValue() == before.get(e.getKey()))) {
      next = reuse(files, walked, Map.of()); // nothing looks changed: read everything
    }
    reads = next;
    return next.values().stream().map(Read::source).toList();
  }

  /**
   * How long until a load would find settled every file that the last load read while it was new;
   * empty when there is none. Such a file is read on every load until then, and once more at the
   * first load after, so a server whose policy was written just before it started (a container
   * started right after its configuration was written, a Kubernetes volume just mounted) loads once
   * more at this time rather than have its first edit read every file again (5-19 ms of that edit
   * at 1,000 files, issue 17.1). At most {@link #SETTLED}: a file dated in the future (a clock
   * behind the file system's) stays unsettled for longer, and is read again as before.
   */
  public Optional<Duration> untilSettled() {
    Instant now = clock.instant();
    return reads.values().stream()
        .filter(read -> !read.settled())
        .map(read -> read.modified().toInstant().plus(SETTLED))
        .max(Instant::compareTo)
        .map(settles -> Duration.between(now, settles))
        .map(wait -> clamp(wait, Duration.ZERO, SETTLED).plus(MARGIN));
  }

  private static Duration clamp(Duration value, Duration min, Duration max) {
    return value.compareTo(min) < 0 ? min : value.compareTo(max) > 0 ? max : value;
  }

  /** Each file's read, in path order: the one in {@code before} where it still holds, else now. */
  private static Map<Path, Read> reuse(
      SortedMap<Path, BasicFileAttributes> files, Instant walked, Map<Path, Read> before)
      throws IOException {
    Map<Path, Read> next = new LinkedHashMap<>(files.size() * 2);
    for (var file : files.entrySet()) {
      Read read = before.get(file.getKey());
      if (read == null || !read.stillFor(file.getValue())) {
        read = read(file.getKey(), file.getValue(), walked);
      }
      next.put(file.getKey(), read);
    }
    return next;
  }

  private static Read read(Path file, BasicFileAttributes attributes, Instant walked)
      throws IOException {
    return new Read(
        attributes.fileKey(),
        attributes.size(),
        attributes.lastModifiedTime(),
        walked,
        PolicySources.read(file));
  }
}
