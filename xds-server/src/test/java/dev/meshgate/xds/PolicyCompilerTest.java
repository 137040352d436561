package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.Source;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
