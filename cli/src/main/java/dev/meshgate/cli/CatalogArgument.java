package dev.meshgate.cli;

import dev.meshgate.discovery.ServiceCatalog;
import dev.meshgate.discovery.consul.ConsulCatalog;
import dev.meshgate.discovery.kubernetes.KubernetesCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code --catalog consul://HOST:PORT | https://HOST:PORT | kubernetes}: the live catalog to check
 * against.
 */
final class CatalogArgument {
  private CatalogArgument() {}

  static ServiceCatalog open(
      String value, Optional<String> consulToken, Optional<Path> consulCa, Duration timeout) {
    String v = value.strip();
    if (v.equals("kubernetes") || v.startsWith("kubernetes:")) {
      try {
        return KubernetesCatalog.connect();
      } catch (RuntimeException e) {
        throw UserError.failure("cannot connect to Kubernetes: " + e.getMessage());
      }
    }
    if (v.startsWith("consul://") || v.startsWith("http://") || v.startsWith("https://")) {
      var settings =
          DiscoveryMixin.consulSettings(
                  v,
                  consulToken,
                  consulCa,
                  dev.meshgate.discovery.consul.ConsulSettings.DEFAULT_ZONE_KEY)
              .withInitialAnswerWait(timeout)
              // One look is enough: fail fast rather than retry for minutes.
              .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(1));
      return ConsulCatalog.connect(settings);
    }
    throw new UserError(
        ExitCode.USAGE,
        "--catalog expects consul://HOST:PORT, https://HOST:PORT or kubernetes, got '"
            + value
            + "'");
  }
}
