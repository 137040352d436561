package dev.meshgate.discovery.kubernetes;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Whether there is a cluster to connect to at all, decided the way fabric8's {@code
 * Config.autoConfigure} finds one, before it quietly falls back to {@code
 * https://kubernetes.default.svc} and retries that forever.
 */
final class ClusterConfiguration {
  static final String SERVICE_ACCOUNT_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

  private ClusterConfiguration() {}

  static Path home() {
    return Path.of(System.getProperty("user.home", ""));
  }

  /**
   * Empty when a kubeconfig, an explicit master URL or a pod's service account is there; else one
   * line saying what is missing and what to do.
   */
  static Optional<String> whyMissing(Map<String, String> env, Properties properties, Path home) {
    if (present(properties.getProperty("kubernetes.master"))
        || present(env.get("KUBERNETES_MASTER"))) {
      return Optional.empty();
    }
    if (present(env.get("KUBERNETES_SERVICE_HOST"))
        && Files.exists(Path.of(SERVICE_ACCOUNT_TOKEN))) {
      return Optional.empty();
    }
    String named =
        present(properties.getProperty("kubeconfig"))
            ? properties.getProperty("kubeconfig")
            : env.get("KUBECONFIG");
    if (present(named)) {
      boolean any =
          Arrays.stream(named.split(File.pathSeparator))
              .anyMatch(f -> !f.isBlank() && Files.isRegularFile(Path.of(f)));
      return any
          ? Optional.empty()
          : Optional.of(
              "no Kubernetes cluster configured: KUBECONFIG="
                  + named
                  + " names no existing file; point KUBECONFIG at a cluster's kubeconfig");
    }
    Path standard = home.resolve(".kube").resolve("config");
    if (Files.isRegularFile(standard)) {
      return Optional.empty();
    }
    return Optional.of(
        "no Kubernetes cluster configured: no kubeconfig ("
            + standard
            + " does not exist and KUBECONFIG is not set) and not running in a pod; set KUBECONFIG"
            + " to a cluster's kubeconfig, or run meshgate inside the cluster");
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }
}
