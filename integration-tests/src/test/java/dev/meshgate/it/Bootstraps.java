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

  private static String run(
      MeshgateProcess meshgate, List<String> role, String nodeId, int adminPort) {
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
    CommandLine cli = new CommandLine(new Meshgate());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
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
