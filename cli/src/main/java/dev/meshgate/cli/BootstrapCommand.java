package dev.meshgate.cli;

import dev.meshgate.bootstrap.EnvoyBootstrap;
import dev.meshgate.bootstrap.XdsTransport;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "bootstrap",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Print an Envoy bootstrap for a gateway.",
    description = {
      "The YAML points one Envoy of the gateway at the meshgate xDS server, which sends it"
          + " everything else. For example:",
      "  meshgate bootstrap --gateway edge > edge.yaml && envoy -c edge.yaml"
    })
final class BootstrapCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--gateway", required = true, paramLabel = "NAME", description = "The gateway's name in the policy (becomes node.cluster).")
  String gateway;

  @Option(
      names = "--xds",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:18000",
      converter = HostPort.Converter.class,
      description = "The meshgate xDS server (default: ${DEFAULT-VALUE}).")
  HostPort xds;

  @Option(
      names = "--admin-port",
      paramLabel = "PORT",
      defaultValue = "9901",
      converter = Ports.Port.class,
      description = "Envoy's admin port, on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(names = "--node-id", paramLabel = "ID", description = "Unique id of this Envoy (default: <gateway>-<hostname>).")
  String nodeId;

  @Option(names = "--delta", description = "Use delta xDS (DELTA_GRPC) instead of state of the world.")
  boolean delta;

  @Override
  public Integer call() {
    if (!gateway.matches("[a-z][a-z0-9-]*")) {
      throw new ParameterException(
          spec.commandLine(), "--gateway '" + gateway + "' is not a gateway name (lowercase letters, digits and '-', starting with a letter)");
    }
    String id = nodeId != null ? nodeId : gateway + "-" + hostname();
    if (id.isBlank()) {
      throw new ParameterException(spec.commandLine(), "--node-id must not be empty");
    }
    String yaml =
        EnvoyBootstrap.gateway(
            gateway, id, xds.host(), xds.port(), adminPort, delta ? XdsTransport.DELTA : XdsTransport.STATE_OF_THE_WORLD);
    spec.commandLine().getOut().print(yaml);
    spec.commandLine().getOut().flush();
    return ExitCode.OK;
  }

  /** The short host name, for default node ids like {@code edge-web1}. */
  static String hostname() {
    String name = System.getenv("HOSTNAME");
    if (name == null || name.isBlank()) {
      try {
        name = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        name = "localhost";
      }
    }
    int dot = name.indexOf('.');
    return (dot > 0 ? name.substring(0, dot) : name).toLowerCase(Locale.ROOT);
  }
}
