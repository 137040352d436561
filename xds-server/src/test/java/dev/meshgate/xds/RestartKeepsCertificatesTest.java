package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.discovery.StaticCatalog;
import dev.meshgate.xds.identity.IssuedCertificateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9.7: a restart serves the workload certificates issued before it: no new SDS version. */
class RestartKeepsCertificatesTest {
  static final String POLICY =
      "gateway edge 8080 2 spiffe://meshgate.local/gateway/edge\nsidecar orders\n";

  @TempDir Path dir;
  @TempDir Path caDir;

  String secretVersions() throws Exception {
    Files.writeString(dir.resolve("policy.mesh"), POLICY);
    var catalog = new StaticCatalog();
    try (var server =
        MeshgateServer.start(
            ServerOptions.loopback(List.of(dir), caDir),
            catalog,
            Fixtures.FAKE_COMPILER,
            catalog)) {
      var status = new Admin(server.adminPort()).status();
      return MeshgateServerTest.group(status, "gateway:edge").at("/versions/secrets").asText()
          + " "
          + MeshgateServerTest.group(status, "sidecar:orders").at("/versions/secrets").asText();
    }
  }

  @Test
  void restartedServerServesTheSameSecretVersions() throws Exception {
    String before = secretVersions();
    assertThat(before).doesNotContain("null").hasSize(33);
    assertThat(secretVersions()).isEqualTo(before);

    Path issued = caDir.resolve(IssuedCertificateStore.DIRECTORY);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(issued)))
        .isEqualTo("rwx------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(issued.resolve("sidecar-orders.key"))))
        .isEqualTo("rw-------");
  }

  @Test
  void aStoredCertificateThatDoesNotFitIsReplaced() throws Exception {
    String before = secretVersions();
    Path issued = caDir.resolve(IssuedCertificateStore.DIRECTORY);
    // Another group's certificate under this group's name: wrong identity, not reused.
    Files.copy(
        issued.resolve("gateway-edge.crt"),
        issued.resolve("sidecar-orders.crt"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        issued.resolve("gateway-edge.key"),
        issued.resolve("sidecar-orders.key"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    String after = secretVersions();
    assertThat(after.split(" ")[0]).isEqualTo(before.split(" ")[0]);
    assertThat(after.split(" ")[1]).isNotEqualTo(before.split(" ")[1]);
  }
}
