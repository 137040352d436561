package dev.meshgate.discovery.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsulSettingsTest {
  @TempDir Path dir;

  @Test
  void addressesInEveryAcceptedForm() {
    assertThat(ConsulSettings.parseAddress("127.0.0.1:8500", false))
        .hasToString("http://127.0.0.1:8500");
    assertThat(ConsulSettings.parseAddress("consul://consul.local:8500", false))
        .hasToString("http://consul.local:8500");
    assertThat(ConsulSettings.parseAddress("consul.local:8501", true))
        .hasToString("https://consul.local:8501");
    assertThat(ConsulSettings.parseAddress("https://[::1]:8501", false))
        .hasToString("https://[::1]:8501");
    assertThatThrownBy(() -> ConsulSettings.parseAddress("consul.local", false))
        .hasMessageContaining("HOST:PORT");
  }

  @Test
  void caFileSwitchesToHttpsAndTokenIsNeverPrinted() {
    var s =
        ConsulSettings.of("127.0.0.1:8500")
            .withAclToken(Optional.of("s3cr3t"))
            .withCaFile(Optional.of(Path.of("/ca.pem")));
    assertThat(s.address()).hasToString("https://127.0.0.1:8500");
    assertThat(s.toString()).doesNotContain("s3cr3t").contains("****");
    assertThat(ConsulSettings.of("127.0.0.1:8500").withAclToken(Optional.of(" ")).aclToken())
        .isEmpty();
  }

  @Test
  void unreadableCaFileIsAClearError() throws Exception {
    Path bad = Files.writeString(dir.resolve("ca.pem"), "not a certificate");
    assertThatThrownBy(() ->
            ConsulCatalog.connect(ConsulSettings.of("127.0.0.1:8500").withCaFile(Optional.of(bad))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Consul CA file");
  }

  @Test
  void backoffGrowsWithJitterUpToTheCap() {
    Duration min = Duration.ofMillis(100);
    Duration max = Duration.ofSeconds(2);
    for (int i = 0; i < 50; i++) {
      assertThat(ConsulWatch.backoff(1, min, max)).isBetween(Duration.ofMillis(50), min);
      assertThat(ConsulWatch.backoff(3, min, max))
          .isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
      assertThat(ConsulWatch.backoff(40, min, max)).isBetween(Duration.ofSeconds(1), max);
    }
  }

  @Test
  void blockingWaitIsCappedByConsulsLimit() {
    assertThatThrownBy(() -> ConsulSettings.of("h:1").withBlockingWait(Duration.ofMinutes(11)))
        .hasMessageContaining("10 minutes");
  }
}
