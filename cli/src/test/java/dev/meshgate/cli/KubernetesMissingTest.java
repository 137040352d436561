package dev.meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --kubernetes} and {@code --catalog kubernetes} with no cluster configured: say so. */
class KubernetesMissingTest {
  @TempDir Path dir;
  private Path kubeconfig;
  private String previous;

  @BeforeEach
  void noKubeconfig() {
    // The system property fabric8 reads before $KUBECONFIG: a file that does not exist.
    kubeconfig = dir.resolve("no-such-kubeconfig");
    previous = System.setProperty("kubeconfig", kubeconfig.toString());
  }

  @AfterEach
  void restore() {
    if (previous == null) {
      System.clearProperty("kubeconfig");
    } else {
      System.setProperty("kubeconfig", previous);
    }
  }

  @Test
  void checkAgainstKubernetesSaysWhatIsMissing() throws Exception {
    Path policy = Files.writeString(dir.resolve("shop.mesh"), TestPolicies.GOOD);
    Cli.Result r = Cli.run("check", policy.toString(), "--catalog", "kubernetes");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err())
        .isEqualTo(
            "meshgate: cannot connect to Kubernetes: no Kubernetes cluster configured: KUBECONFIG="
                + kubeconfig
                + " names no existing file; point KUBECONFIG at a cluster's kubeconfig\n");
  }

  @Test
  void serveWithKubernetesSaysWhatIsMissing() throws Exception {
    Path policy = Files.writeString(dir.resolve("shop.mesh"), TestPolicies.GOOD);
    Cli.Result r =
        Cli.run(
            "serve",
            policy.toString(),
            "--kubernetes",
            "--xds-port",
            "0",
            "--admin-port",
            "0",
            "--ca-dir",
            dir.resolve("ca").toString());
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err())
        .isEqualTo(
            "meshgate: cannot serve with --kubernetes: no Kubernetes cluster configured:"
                + " KUBECONFIG="
                + kubeconfig
                + " names no existing file; point KUBECONFIG at a cluster's kubeconfig\n");
  }
}
