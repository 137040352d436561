package dev.meshgate.compiler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicySourcesTest {

  @Test
  void loadsEveryMeshFileBelowADirectoryInPathOrderAndSkipsHiddenOnes(@TempDir Path dir)
      throws Exception {
    Files.createDirectories(dir.resolve("b"));
    Files.createDirectories(dir.resolve("..2026_11_21/"));
    Files.writeString(dir.resolve("b/z.mesh"), "# z");
    Files.writeString(dir.resolve("a.mesh"), "# a");
    Files.writeString(dir.resolve("notes.txt"), "not policy");
    Files.writeString(dir.resolve(".a.mesh.swp.mesh"), "# editor copy");
    Files.writeString(dir.resolve("..2026_11_21/a.mesh"), "# configmap copy");

    List<Source> sources = PolicySources.load(List.of(dir));

    assertThat(sources)
        .extracting(Source::name)
        .containsExactly(dir.resolve("a.mesh").toString(), dir.resolve("b/z.mesh").toString());
    assertThat(sources.get(0).text()).isEqualTo("# a");
  }

  @Test
  void aRenamedSourceKeepsItsTextAndWhereItWasNotUtf8(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve("a.mesh"), new byte[] {'#', ' ', (byte) 0xC3, '\n'});

    Source read = PolicySources.load(List.of(dir)).get(0);
    Source renamed = read.renamed("a.mesh");

    assertThat(renamed.name()).isEqualTo("a.mesh");
    assertThat(renamed.text()).isEqualTo(read.text());
    assertThat(read.malformed()).isPresent();
    assertThat(renamed.malformed()).isEqualTo(read.malformed());
  }

  @Test
  void followsLinkedFilesAsAConfigMapMountHasThemAndSkipsDanglingOnes(@TempDir Path dir)
      throws Exception {
    Files.createDirectories(dir.resolve("..2026_12_07"));
    Files.writeString(dir.resolve("..2026_12_07/a.mesh"), "# a");
    Files.createSymbolicLink(dir.resolve("..data"), dir.resolve("..2026_12_07"));
    Files.createSymbolicLink(dir.resolve("a.mesh"), dir.resolve("..data/a.mesh"));
    Files.createSymbolicLink(dir.resolve("gone.mesh"), dir.resolve("..data/gone.mesh"));

    List<Source> sources = PolicySources.load(List.of(dir));

    assertThat(sources).extracting(Source::name).containsExactly(dir.resolve("a.mesh").toString());
    assertThat(sources.get(0).text()).isEqualTo("# a");
  }

  @Test
  void aMissingPathIsAnError(@TempDir Path dir) {
    assertThatThrownBy(() -> PolicySources.load(List.of(dir.resolve("nope.mesh"))))
        .isInstanceOf(NoSuchFileException.class);
  }
}
