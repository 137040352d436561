package dev.meshgate.xds;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to run a {@link MeshgateServer}.
 *
 * @param policyPaths policy files and directories (searched recursively for {@code *.mesh}),
 *     watched for changes
 * @param bindAddress the address both servers bind, for example {@code 127.0.0.1}
 * @param xdsPort the gRPC xDS port; 0 picks a free one ({@link MeshgateServer#xdsPort()})
 * @param adminPort the admin HTTP port; 0 picks a free one ({@link MeshgateServer#adminPort()})
 * @param reloadDebounce how long policy files must stay quiet before a reload, so that an
 *     editor's save (several writes, a rename) compiles once
 */
public record ServerOptions(
    List<Path> policyPaths, String bindAddress, int xdsPort, int adminPort, Duration reloadDebounce) {

  public static final Duration DEFAULT_DEBOUNCE = Duration.ofMillis(200);

  public ServerOptions {
    policyPaths = List.copyOf(policyPaths);
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(reloadDebounce, "reloadDebounce");
    if (policyPaths.isEmpty()) {
      throw new IllegalArgumentException("no policy path given");
    }
    checkPort("xdsPort", xdsPort);
    checkPort("adminPort", adminPort);
    if (reloadDebounce.isNegative()) {
      throw new IllegalArgumentException("reloadDebounce must not be negative: " + reloadDebounce);
    }
  }

  /** Loopback, free ports, the default debounce: what tests and demos want. */
  public static ServerOptions loopback(List<Path> policyPaths) {
    return new ServerOptions(policyPaths, "127.0.0.1", 0, 0, DEFAULT_DEBOUNCE);
  }

  private static void checkPort(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " must be 0..65535 (0 = any free port): " + port);
    }
  }
}
