package dev.meshgate.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicySourceCacheTest {
  /** The files' times are set explicitly; the clock says when each load's walk began. */
  private static final Instant WRITTEN = Instant.parse("2026-12-07T10:00:00Z");

  private final MovableClock clock = new MovableClock(WRITTEN.plusSeconds(60));
  private final PolicySourceCache cache = new PolicySourceCache(clock);

  @Test
  void loadsWhatPolicySourcesLoads(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("b"));
    Files.createDirectories(dir.resolve("..2026_11_21"));
    write(dir.resolve("b/z.mesh"), "# z");
    write(dir.resolve("a.mesh"), "# a");
    write(dir.resolve("notes.txt"), "not policy");
    write(dir.resolve(".a.mesh.swp.mesh"), "# editor copy");
    write(dir.resolve("..2026_11_21/a.mesh"), "# configmap copy");
    Files.createSymbolicLink(dir.resolve("c.mesh"), dir.resolve("b/z.mesh"));

    assertThat(texts(cache.load(List.of(dir)))).isEqualTo(texts(PolicySources.load(List.of(dir))));
    assertThat(cache.load(List.of(dir)))
        .extracting(Source::name)
        .containsExactly(
            dir.resolve("a.mesh").toString(),
            dir.resolve("b/z.mesh").toString(),
            dir.resolve("c.mesh").toString());
  }

  @Test
  void aSettledFileWhoseAttributesDidNotChangeIsNotReadAgain(@TempDir Path dir) throws Exception {
    write(dir.resolve("a.mesh"), "# a");
    write(dir.resolve("b.mesh"), "# b");
    Source a = cache.load(List.of(dir)).get(0);

    write(dir.resolve("b.mesh"), "# B, longer");
    List<Source> next = cache.load(List.of(dir));

    assertThat(next.get(0)).isSameAs(a);
    assertThat(next.get(1).text()).isEqualTo("# B, longer");
  }

  @Test
  void aFileRewrittenWithTheSameSizeAndTimeIsReadAgainUntilItHasSettled(@TempDir Path dir)
      throws Exception {
    write(dir.resolve("a.mesh"), "# a");
    write(dir.resolve("b.mesh"), "# b");
    clock.set(WRITTEN.plus(PolicySourceCache.SETTLED).minusMillis(1)); // b is not settled yet
    cache.load(List.of(dir));

    write(dir.resolve("b.mesh"), "# c"); // same size, same time: one tick of a coarse clock
    write(dir.resolve("a.mesh"), "# A, longer"); // a change the attributes show
    List<Source> next = cache.load(List.of(dir));

    assertThat(texts(next)).containsExactly("# A, longer", "# c");
  }

  @Test
  void settledFilesNeedNoLaterLoad(@TempDir Path dir) throws Exception {
    write(dir.resolve("a.mesh"), "# a");
    cache.load(List.of(dir));

    assertThat(cache.untilSettled()).isEmpty();
  }

  @Test
  void filesReadWhileNewSettleOnceMoreAndThenOnlyAnEditIsRead(@TempDir Path dir) throws Exception {
    write(dir.resolve("a.mesh"), "# a");
    write(dir.resolve("b.mesh"), "# b");
    clock.set(WRITTEN.plusSeconds(1)); // a server started a second after its policy was written
    cache.load(List.of(dir));

    Duration wait = cache.untilSettled().orElseThrow();
    assertThat(wait).isEqualTo(Duration.ofMillis(2_050)); // settled at 3 s, and a margin
    clock.set(clock.instant().plus(wait));
    Source a = cache.load(List.of(dir)).get(0); // the load the server makes then
    assertThat(cache.untilSettled()).isEmpty();

    write(dir.resolve("b.mesh"), "# B, longer"); // the first edit
    List<Source> edited = cache.load(List.of(dir));
    assertThat(edited.get(0)).as("a, not read again").isSameAs(a);
    assertThat(edited.get(1).text()).isEqualTo("# B, longer");
  }

  @Test
  void aFileDatedInTheFutureIsWaitedForAtMostTheSettlingTime(@TempDir Path dir) throws Exception {
    write(dir.resolve("a.mesh"), "# a");
    clock.set(WRITTEN.minusSeconds(3_600)); // our clock an hour behind the file system's

    cache.load(List.of(dir));

    assertThat(cache.untilSettled()).contains(PolicySourceCache.SETTLED.plusMillis(50));
  }

  @Test
  void whenNoFileLooksChangedEveryFileIsReadAgain(@TempDir Path dir) throws Exception {
    write(dir.resolve("a.mesh"), "# a");
    cache.load(List.of(dir));

    // Same size and time although it was settled: only a clock stepped back could do this.
    write(dir.resolve("a.mesh"), "# b");
    List<Source> next = cache.load(List.of(dir));

    assertThat(texts(next)).containsExactly("# b");
  }

  @Test
  void aReplacedFileIsReadAgainEvenWithTheSameSizeAndTime(@TempDir Path dir) throws Exception {
    write(dir.resolve("a.mesh"), "# a");
    write(dir.resolve("b.mesh"), "# b");
    cache.load(List.of(dir));

    // Written next door and moved over, as editors and kubelet's ConfigMap updates do.
    Path next = dir.resolve("b.next");
    write(next, "# c");
    Files.move(next, dir.resolve("b.mesh"), StandardCopyOption.ATOMIC_MOVE);
    write(dir.resolve("a.mesh"), "# A, longer");

    assertThat(texts(cache.load(List.of(dir)))).containsExactly("# A, longer", "# c");
  }

  @Test
  void filesAddedAndRemovedAreSeen(@TempDir Path dir) throws Exception {
    write(dir.resolve("a.mesh"), "# a");
    write(dir.resolve("b.mesh"), "# b");
    cache.load(List.of(dir));

    Files.delete(dir.resolve("a.mesh"));
    write(dir.resolve("c.mesh"), "# c");

    assertThat(texts(cache.load(List.of(dir)))).containsExactly("# b", "# c");
    Files.delete(dir.resolve("c.mesh"));
    assertThat(texts(cache.load(List.of(dir)))).containsExactly("# b");
  }

  @Test
  void aMissingPathIsAnError(@TempDir Path dir) {
    assertThatThrownBy(() -> cache.load(List.of(dir.resolve("nope.mesh"))))
        .isInstanceOf(NoSuchFileException.class);
  }

  private static void write(Path file, String text) throws Exception {
    Files.writeString(file, text);
    Files.setLastModifiedTime(file, FileTime.from(WRITTEN));
  }

  private static List<String> texts(List<Source> sources) {
    return sources.stream().map(Source::text).toList();
  }

  private static final class MovableClock extends Clock {
    private Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
