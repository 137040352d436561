package dev.meshgate.cli;

import dev.meshgate.bootstrap.BootstrapOptions;
import dev.meshgate.bootstrap.EnvoyBootstrap;
import dev.meshgate.bootstrap.XdsTls;
import dev.meshgate.bootstrap.XdsTransport;
import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.xds.identity.CertificateAuthority;
import dev.meshgate.xds.identity.ProxyCredentials;
import dev.meshgate.xds.identity.ProxyIdentity;
import dev.meshgate.xds.identity.XdsClientTls;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "bootstrap",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Print an Envoy bootstrap for a gateway or a sidecar.",
    description = {
      "The YAML points one Envoy of the gateway (or of the service's sidecar) at the meshgate xDS"
          + " server, which sends it everything else. For example:",
      "  meshgate bootstrap --gateway edge > edge.yaml && envoy -c edge.yaml",
      "  meshgate bootstrap --sidecar orders --admin-port 9902 > orders.yaml",
      "xDS is mutual TLS: the YAML holds a client certificate and its private key, issued from --ca-dir"
          + " (the same directory 'meshgate serve' uses) for this gateway or sidecar only. Keep it private."
    })
final class BootstrapCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  /** Exactly one of the two: who the Envoy is. */
  static final class Target {
    @Option(
        names = "--gateway",
        required = true,
        paramLabel = "NAME",
        description = "A gateway's name in the policy (becomes node.cluster).")
    String gateway;

    @Option(
        names = "--sidecar",
        required = true,
        paramLabel = "SERVICE",
        description = "The service whose sidecar this Envoy is (becomes node.cluster).")
    String sidecar;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

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

  @Option(
      names = "--node-id",
      paramLabel = "ID",
      description = "Unique id of this Envoy (default: <name>-<hostname>).")
  String nodeId;

  @Option(
      names = "--delta",
      description = "Use delta xDS (DELTA_GRPC) instead of state of the world.")
  boolean delta;

  @Option(
      names = "--ca-dir",
      paramLabel = "DIR",
      defaultValue = ".meshgate/ca",
      description =
          "The CA that issues this Envoy's xDS client certificate; created there if missing"
              + " (default: ${DEFAULT-VALUE}).")
  Path caDir;

  @Option(
      names = "--insecure-xds",
      description =
          "For a server run with --insecure-xds (development only): plaintext xDS, no certificate.")
  boolean insecureXds;

  @Override
  public Integer call() {
    boolean sidecar = target.sidecar != null;
    String name = sidecar ? target.sidecar : target.gateway;
    String option = sidecar ? "--sidecar" : "--gateway";
    if (!name.matches("[a-z][a-z0-9-]*")) {
      throw new ParameterException(
          spec.commandLine(),
          option
              + " '"
              + name
              + "' is not a "
              + (sidecar ? "service" : "gateway")
              + " name (lowercase letters, digits and '-', starting with a letter)");
    }
    String id = nodeId != null ? nodeId : name + "-" + hostname();
    if (id.isBlank()) {
      throw new ParameterException(spec.commandLine(), "--node-id must not be empty");
    }
    BootstrapOptions options =
        (sidecar
                ? BootstrapOptions.sidecar(name, id, xds.host(), xds.port(), adminPort)
                : BootstrapOptions.gateway(name, id, xds.host(), xds.port(), adminPort))
            .withTransport(delta ? XdsTransport.DELTA : XdsTransport.STATE_OF_THE_WORLD);
    if (!insecureXds) {
      ProxyGroup group =
          sidecar ? new ProxyGroup(ProxyGroup.Role.SIDECAR, name) : ProxyGroup.gateway(name);
      boolean newCa = !Files.exists(caDir.resolve(CertificateAuthority.CERT_FILE));
      CertificateAuthority ca = Credentials.ca(caDir);
      XdsClientTls tls = Credentials.issue(ca, group);
      options = options.withTls(new XdsTls(tls.caPem(), tls.certPem(), tls.keyPem()));
      PrintWriter err = spec.commandLine().getErr();
      if (newCa) {
        err.println("meshgate: created a new CA in " + caDir + "; serve with the same --ca-dir");
      }
      Instant until = Instant.now().plus(ProxyCredentials.DEFAULT_TTL);
      err.println(
          "meshgate: note: this bootstrap holds a private key (the xDS credential "
              + ProxyIdentity.uri(group)
              + ", valid until "
              + until.toString().substring(0, 10)
              + "); keep the file private, e.g. chmod 600");
      err.flush();
    }
    spec.commandLine().getOut().print(EnvoyBootstrap.render(options));
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
