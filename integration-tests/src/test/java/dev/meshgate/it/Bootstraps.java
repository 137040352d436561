package dev.meshgate.it;

import dev.meshgate.cli.Meshgate;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Envoy bootstraps made exactly the way a user makes them: by {@code meshgate bootstrap} (run
 * in-process, same code as bin/meshgate). Against a secure server the command issues the Envoy a
 * client certificate from the server's CA ({@code --ca-dir}) and puts it in the bootstrap, so every
 * Envoy of these tests proves its group to meshgate over TLS.
 */
final class Bootstraps {
  private Bootstraps() {}

  /** A bootstrap for one Envoy of gateway {@code name}. */
  static String gateway(MeshgateProcess meshgate, String name, String nodeId, int adminPort) {
    return run(meshgate, List.of("--gateway", name), nodeId, adminPort);
  }

  /** As {@link #gateway}, over delta xDS ({@code meshgate bootstrap --delta}). */
  static String deltaGateway(MeshgateProcess meshgate, String name, String nodeId, int adminPort) {
    return run(meshgate, List.of("--gateway", name, "--delta"), nodeId, adminPort);
  }

  /** A bootstrap for one sidecar Envoy of service {@code name}. */
  static String sidecar(MeshgateProcess meshgate, String name, String nodeId, int adminPort) {
    return run(meshgate, List.of("--sidecar", name), nodeId, adminPort);
  }

  /**
   * As {@link #gateway} or {@link #sidecar} ({@code role} is {@code --gateway NAME} or {@code
   * --sidecar NAME}), with the stats listener on 127.0.0.1:{@code statsPort}. The other bootstraps
   * of the tests have none ({@code --stats-port 0}): several Envoys share this machine, and a
   * static listener would count as an active one while a test waits for the policy's.
   */
  static String withStats(
      MeshgateProcess meshgate, List<String> role, String nodeId, int adminPort, int statsPort) {
    List<String> args = new ArrayList<>(role);
    args.addAll(List.of("--stats-port", Integer.toString(statsPort), "--stats-bind", "127.0.0.1"));
    return run(meshgate, args, nodeId, adminPort);
  }

  private static String run(
      MeshgateProcess meshgate, List<String> role, String nodeId, int adminPort) {
    if (!role.contains("--stats-port")) {
      role = new ArrayList<>(role);
      role.addAll(List.of("--stats-port", "0"));
    }
    List<String> args = new ArrayList<>(List.of("bootstrap"));
    args.addAll(role);
    args.addAll(
        List.of(
            "--xds",
            "127.0.0.1:" + meshgate.xdsPort(),
            "--admin-port",
            Integer.toString(adminPort),
            "--node-id",
            nodeId));
    if (meshgate.insecureXds()) {
      args.add(MeshgateProcess.INSECURE_XDS);
    } else {
      // The tests keep the bootstrap in memory; a user writes it with --output FILE (0600).
      args.addAll(List.of("--ca-dir", meshgate.caDir().toString(), "--stdout"));
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Meshgate.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
    int exit = cli.execute(args.toArray(String[]::new));
    if (exit != 0 || out.toString().isBlank()) {
      throw new AssertionError(
          "meshgate "
              + String.join(" ", args)
              + " exited "
              + exit
              + "; stderr:\n"
              + err
              + "\nstdout:\n"
              + out);
    }
    return out.toString();
  }
}
