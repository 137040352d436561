package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshgate.discovery.StaticCatalog;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9.9: the admin API (no authentication) stays on loopback when xDS binds every address. */
class AdminBindTest {
  @TempDir Path dir;
  @TempDir Path caDir;

  @Test
  void adminListensOnLoopbackOnlyByDefault() throws Exception {
    Files.writeString(dir.resolve("policy.mesh"), "gateway edge 8080 2\n");
    ServerOptions options =
        new ServerOptions(
            List.of(dir),
            "0.0.0.0",
            0,
            0,
            ServerOptions.DEFAULT_DEBOUNCE,
            caDir,
            ServerOptions.DEFAULT_CERT_TTL,
            false);
    assertThat(options.adminBindAddress()).isEqualTo("127.0.0.1");
    var catalog = new StaticCatalog();
    try (var server = MeshgateServer.start(options, catalog, Fixtures.FAKE_COMPILER, catalog)) {
      assertThat(new Admin(server.adminPort()).status().get("groups")).hasSize(1);
      Optional<InetAddress> external = nonLoopbackAddress();
      if (external.isPresent()) {
        // xDS answers on this host's other address; the admin API does not.
        connect(external.get(), server.xdsPort());
        assertThatThrownBy(() -> connect(external.get(), server.adminPort()))
            .isInstanceOf(IOException.class);
      }
    }
  }

  private static void connect(InetAddress address, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 2000);
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
          return Optional.of(a);
        }
      }
    }
    return Optional.empty();
  }
}
