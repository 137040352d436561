package dev.meshgate.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ForkedServerTest {
  @Test
  void theServerRunsWithTheJvmOptionsOfTheLauncherAndTheImage() throws Exception {
    String launcher = Files.readString(Path.of("..", "bin", "meshgate"));
    String jvmOpts =
        launcher.lines().filter(l -> l.startsWith("serve_opts=(")).findFirst().orElseThrow();
    String image = Files.readString(Path.of("..", "image", "pom.xml"));
    for (String option : ForkedServer.SERVE_JVM_OPTIONS) {
      assertThat(jvmOpts).contains(option);
      assertThat(image).contains("<arg>" + option + "</arg>");
    }
  }
}
