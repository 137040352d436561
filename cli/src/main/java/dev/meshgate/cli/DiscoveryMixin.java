package dev.meshgate.cli;

import dev.meshgate.discovery.consul.ConsulSettings;
import dev.meshgate.xds.DiscoveryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code serve}'s discovery options: where {@code source consul}/{@code kubernetes} endpoints come
 * from.
 */
final class DiscoveryMixin {

  @Option(
      names = "--consul",
      paramLabel = "HOST:PORT",
      description =
          "Answer `source consul` from this Consul agent's HTTP API (https:// or --consul-ca for TLS).")
  String consul;

  @Option(
      names = "--consul-token",
      paramLabel = "TOKEN",
      defaultValue = "${env:CONSUL_HTTP_TOKEN}",
      description = "Consul ACL token (default: $CONSUL_HTTP_TOKEN).")
  String consulToken;

  @Option(
      names = "--consul-ca",
      paramLabel = "FILE",
      description =
          "PEM CA certificate(s) that sign the Consul agent's HTTPS certificate; implies https.")
  Path consulCa;

  @Option(
      names = "--consul-zone-key",
      paramLabel = "KEY",
      defaultValue = ConsulSettings.DEFAULT_ZONE_KEY,
      description =
          "Consul node metadata key that gives an instance's zone (default: ${DEFAULT-VALUE}).")
  String consulZoneKey;

  @Option(
      names = "--kubernetes",
      description =
          "Answer `source kubernetes` from the cluster of the current kubeconfig context (in a pod: its service account).")
  boolean kubernetes;

  @Option(
      names = "--eds-coalesce",
      paramLabel = "DURATION",
      defaultValue = "100ms",
      converter = DurationOption.class,
      description =
          "Collect endpoint changes this long before pushing them (default: ${DEFAULT-VALUE}; 0 = at once).")
  Duration coalesce;

  DiscoveryOptions options() {
    DiscoveryOptions options =
        DiscoveryOptions.staticOnly().withCoalesce(coalesce).withKubernetes(kubernetes);
    if (consul != null) {
      options =
          options.withConsul(
              consulSettings(
                  consul,
                  Optional.ofNullable(consulToken),
                  Optional.ofNullable(consulCa),
                  consulZoneKey));
    } else if (consulCa != null) {
      throw new UserError(ExitCode.USAGE, "--consul-ca needs --consul HOST:PORT");
    }
    return options;
  }

  /** Settings for {@code address}, with a readable CA file; bad input is a usage error. */
  static ConsulSettings consulSettings(
      String address, Optional<String> token, Optional<Path> ca, String zoneKey) {
    ca.ifPresent(file -> {
      if (!Files.isReadable(file)) {
        throw UserError.failure("cannot read Consul CA file " + file);
      }
    });
    try {
      return ConsulSettings.of(ConsulSettings.parseAddress(address, ca.isPresent()).toString())
          .withAclToken(token)
          .withCaFile(ca)
          .withZoneKey(zoneKey);
    } catch (IllegalArgumentException e) {
      throw new UserError(ExitCode.USAGE, e.getMessage());
    }
  }
}
