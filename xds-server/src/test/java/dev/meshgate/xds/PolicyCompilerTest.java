package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.Source;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyCompilerTest {
  @Test
  void aBundleIsLoadedWithItsFilesNamedRelativeToItsDirectoryInNameOrder(@TempDir Path dir)
      throws Exception {
    Files.createDirectories(dir.resolve("services"));
    Files.writeString(dir.resolve("services/catalog.mesh"), "# catalog\n");
    Files.writeString(dir.resolve("allow.mesh"), "# allow\n");
    Files.write(dir.resolve("z.mesh"), new byte[] {'#', ' ', (byte) 0xC3, '\n'});

    List<Source> sources = PolicyCompiler.ROOTED.load(List.of(dir));

    assertThat(sources)
        .extracting(Source::name)
        .containsExactly("allow.mesh", "services/catalog.mesh", "z.mesh");
    assertThat(sources.get(1).text()).isEqualTo("# catalog\n");
    assertThat(sources.get(2).malformed()).as("where it was not UTF-8, kept").isPresent();
  }

  @Test
  void aReloadersCompilerSaysWhenFilesReadWhileNewWillHaveSettled(@TempDir Path dir)
      throws Exception {
    Path fresh = dir.resolve("fresh.mesh");
    Files.writeString(fresh, "# written just now\n");
    PolicyCompiler reloads = PolicyCompiler.DEFAULT.incremental();

    reloads.load(List.of(dir));
    assertThat(reloads.untilReadsSettle())
        .hasValueSatisfying(wait -> assertThat(wait).isPositive().isLessThanOrEqualTo(SETTLING));

    Files.setLastModifiedTime(fresh, FileTime.from(Instant.now().minusSeconds(60)));
    reloads.load(List.of(dir)); // the attributes changed: read again, now settled
    assertThat(reloads.untilReadsSettle()).isEmpty();
  }

  @Test
  void compilersThatReadEveryFileEveryTimeHaveNothingToSettle(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("fresh.mesh"), "# written just now\n");

    PolicyCompiler.DEFAULT.load(List.of(dir));
    PolicyCompiler.ROOTED.incremental().load(List.of(dir));

    assertThat(PolicyCompiler.DEFAULT.untilReadsSettle()).isEmpty();
    assertThat(PolicyCompiler.ROOTED.incremental().untilReadsSettle()).isEmpty();
  }

  /** Three seconds of settling and the margin after it (PolicySourceCache). */
  private static final Duration SETTLING = Duration.ofMillis(3_050);
}
