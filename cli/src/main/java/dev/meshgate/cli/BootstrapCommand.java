package dev.meshgate.cli;

import dev.meshgate.bootstrap.BootstrapOptions;
import dev.meshgate.bootstrap.EnvoyBootstrap;
import dev.meshgate.bootstrap.StatsEndpoint;
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
    header = "Write an Envoy bootstrap for a gateway or a sidecar.",
    description = {
      "The YAML points one Envoy of the gateway (or of the service's sidecar) at the meshgate xDS"
          + " server, which sends it everything else. For example:",
      "  meshgate bootstrap --gateway edge --output edge.yaml && envoy -c edge.yaml",
      "  meshgate bootstrap --sidecar orders --admin-port 9902 --output orders.yaml",
      "xDS is mutual TLS: the YAML holds a client certificate and its private key, issued by the CA"
          + " in --ca-dir (the one 'meshgate serve' uses; bootstrap never creates a CA) for this gateway"
          + " or sidecar only. So it is written to --output FILE, readable by its owner only (0600);"
          + " --stdout prints it instead, for a pipe you trust."
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
      names = "--stats-port",
      paramLabel = "PORT",
      defaultValue = "15090",
      description =
          "A listener serving only GET /stats/prometheus and /ready of Envoy's admin interface, for"
              + " Prometheus scrapes and probes; 0 for none (default: ${DEFAULT-VALUE}).")
  int statsPort;

  @Option(
      names = "--stats-bind",
      paramLabel = "ADDRESS",
      defaultValue = "0.0.0.0",
      description =
          "The address of the stats listener; the admin interface stays on 127.0.0.1 (default:"
              + " ${DEFAULT-VALUE}).")
  String statsBind;

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
      defaultValue = Credentials.CA_DIR_DEFAULT,
      description =
          "The CA of 'meshgate serve', which issues this Envoy's xDS client certificate; never"
              + " created here (default: $MESHGATE_CA_DIR, else .meshgate/ca; now ${DEFAULT-VALUE}).")
  Path caDir;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description =
          "Write the bootstrap to FILE, readable by its owner only (0600), replacing it atomically.")
  Path output;

  @Option(
      names = "--stdout",
      description =
          "Print the bootstrap, private key included, to stdout (the default only with --insecure-xds,"
              + " which has no key).")
  boolean stdout;

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
    if (output != null && stdout) {
      throw new ParameterException(
          spec.commandLine(), "--output and --stdout exclude each other: pass one");
    }
    if (output == null && !stdout && !insecureXds) {
      throw new ParameterException(
          spec.commandLine(),
          "the bootstrap holds a private key: pass --output FILE to write it readable by you only,"
              + " or --stdout to print it anyway");
    }
    BootstrapOptions options =
        (sidecar
                ? BootstrapOptions.sidecar(name, id, xds.host(), xds.port(), adminPort)
                : BootstrapOptions.gateway(name, id, xds.host(), xds.port(), adminPort))
            .withTransport(delta ? XdsTransport.DELTA : XdsTransport.STATE_OF_THE_WORLD);
    if (statsPort < 0 || statsPort > 65535) {
      throw new ParameterException(
          spec.commandLine(), "--stats-port must be 0 (none) or 1..65535, got " + statsPort);
    }
    if (statsPort == adminPort) {
      throw new ParameterException(
          spec.commandLine(),
          "--stats-port "
              + statsPort
              + " is the admin port: the stats listener needs a port of its own (or 0 for none)");
    }
    if (statsPort > 0) {
      options = options.withStats(new StatsEndpoint(statsBind, statsPort));
    }
    PrintWriter err = spec.commandLine().getErr();
    String note = "";
    if (!insecureXds) {
      ProxyGroup group =
          sidecar ? new ProxyGroup(ProxyGroup.Role.SIDECAR, name) : ProxyGroup.gateway(name);
      CertificateAuthority ca = Credentials.existing(caDir);
      XdsClientTls tls = Credentials.issue(ca, group);
      options = options.withTls(new XdsTls(tls.caPem(), tls.certPem(), tls.keyPem()));
      Instant until = Instant.now().plus(ProxyCredentials.DEFAULT_TTL);
      note =
          "the xDS credential "
              + ProxyIdentity.uri(group)
              + ", valid until "
              + until.toString().substring(0, 10);
    }
    String yaml = EnvoyBootstrap.render(options);
    if (output != null) {
      PrivateFiles.write(output, yaml);
      err.println(
          "meshgate: wrote "
              + output
              + (note.isEmpty() ? "" : " (0600; it holds a private key: " + note + ")"));
    } else {
      if (!note.isEmpty()) {
        err.println(
            "meshgate: note: this bootstrap holds a private key ("
                + note
                + "); keep it private, or use --output FILE");
      }
      spec.commandLine().getOut().print(yaml);
      spec.commandLine().getOut().flush();
    }
    err.flush();
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
