package dev.meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DiscoveryMixinTest {
  @TempDir Path dir;

  private static DiscoveryMixin parse(String... args) {
    @CommandLine.Command(name = "t")
    class Host {
      @CommandLine.Mixin DiscoveryMixin discovery;
    }
    Host host = new Host();
    new CommandLine(host).parseArgs(args);
    return host.discovery;
  }

  @Test
  void consulTokenCaAndCoalesceBecomeDiscoveryOptions() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "pem");
    var options =
        parse(
                "--consul",
                "consul.local:8501",
                "--consul-token",
                "t0k",
                "--consul-ca",
                ca.toString(),
                "--eds-coalesce",
                "250ms",
                "--kubernetes")
            .options();
    var consul = options.consul().orElseThrow();
    assertThat(consul.address()).hasToString("https://consul.local:8501");
    assertThat(consul.aclToken()).contains("t0k");
    assertThat(consul.caFile()).contains(ca);
    assertThat(options.coalesce()).isEqualTo(Duration.ofMillis(250));
    assertThat(options.kubernetes()).isTrue();
    assertThat(parse().options().consul()).isEmpty();
    assertThat(parse("--eds-coalesce", "0").options().coalesce()).isZero();
  }

  @Test
  void mistakesAreUserErrors() {
    assertThatThrownBy(() -> parse("--consul-ca", "/x.pem").options())
        .isInstanceOf(UserError.class)
        .hasMessageContaining("--consul-ca needs --consul");
    assertThatThrownBy(() -> parse("--consul", "no-port").options())
        .isInstanceOf(UserError.class)
        .hasMessageContaining("HOST:PORT");
    assertThatThrownBy(() ->
            DiscoveryMixin.consulSettings(
                "h:1", Optional.empty(), Optional.of(dir.resolve("missing.pem")), "zone"))
        .isInstanceOf(UserError.class)
        .hasMessageContaining("cannot read Consul CA file");
    assertThatThrownBy(() -> parse("--eds-coalesce", "5"))
        .isInstanceOf(CommandLine.ParameterException.class);
  }
}
