package dev.meshgate.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvoyBinaryTest {

  @TempDir Path dir;

  @Test
  void envoyBinWinsOverPathAndRoot() throws IOException {
    Path explicit = executable(dir.resolve("explicit/envoy"));
    Path onPath = executable(dir.resolve("path/envoy"));
    executable(dir.resolve("root/.tools/bin/envoy"));
    assertThat(
            EnvoyBinary.find(
                Map.of("ENVOY_BIN", explicit.toString(), "PATH", onPath.getParent().toString()),
                Optional.of(dir.resolve("root"))))
        .contains(explicit);
  }

  @Test
  void pathWinsOverRoot() throws IOException {
    Path onPath = executable(dir.resolve("path/envoy"));
    executable(dir.resolve("root/.tools/bin/envoy"));
    assertThat(
            EnvoyBinary.find(
                Map.of("PATH", "/nonexistent:" + onPath.getParent()),
                Optional.of(dir.resolve("root"))))
        .contains(onPath);
  }

  @Test
  void rootToolsIsTheLastResort() throws IOException {
    Path tools = executable(dir.resolve("root/.tools/bin/envoy"));
    assertThat(EnvoyBinary.find(Map.of("PATH", "/nonexistent"), Optional.of(dir.resolve("root"))))
        .contains(tools);
    assertThat(EnvoyBinary.find(Map.of(), Optional.empty())).isEmpty();
  }

  @Test
  void anEnvoyBinThatPointsNowhereFindsNothing() {
    assertThat(
            EnvoyBinary.find(
                Map.of("ENVOY_BIN", dir.resolve("missing").toString()), Optional.empty()))
        .isEmpty();
  }

  private static Path executable(Path p) throws IOException {
    Files.createDirectories(p.getParent());
    Files.writeString(p, "#!/bin/sh\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }
}
