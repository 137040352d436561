package dev.meshgate.it;

import dev.meshgate.bootstrap.testing.RequiredEnvoy;
import java.nio.file.Path;

/**
 * One {@code meshgate serve} on a policy directory plus one Envoy of one gateway connected to it:
 * what most test classes start once and share across their methods.
 */
final class GatewayStack implements AutoCloseable {
  private final Path policyFile;
  private final int listenPort;
  private final MeshgateProcess meshgate;
  private final EnvoyProcess envoy;

  private GatewayStack(
      Path policyFile, int listenPort, MeshgateProcess meshgate, EnvoyProcess envoy) {
    this.policyFile = policyFile;
    this.listenPort = listenPort;
    this.meshgate = meshgate;
    this.envoy = envoy;
  }

  /**
   * Writes {@code policy} to {@code workDir/policy/policy.mesh}, serves that directory and starts
   * an Envoy for {@code gateway}, returning once its listener on {@code listenPort} (one the policy
   * declares) is active. {@code serveArgs} go to {@code meshgate serve}.
   */
  static GatewayStack start(
      Path workDir, String gateway, int listenPort, String policy, String... serveArgs) {
    Path policyFile = Policy.write(workDir.resolve("policy/policy.mesh"), policy);
    RequiredEnvoy.path(); // skip (or fail in CI) before starting anything
    MeshgateProcess meshgate = MeshgateProcess.start(policyFile.getParent(), workDir, serveArgs);
    try {
      EnvoyProcess envoy = startEnvoy(gateway, meshgate, workDir, 1);
      return new GatewayStack(policyFile, listenPort, meshgate, envoy);
    } catch (RuntimeException | AssertionError e) {
      System.err.println("meshgate log:\n" + meshgate.logTail());
      meshgate.close();
      throw e;
    }
  }

  /**
   * An Envoy of {@code gateway} bootstrapped by {@code meshgate bootstrap} against {@code meshgate}
   * (with its own xDS client certificate unless the server is insecure).
   */
  static EnvoyProcess startEnvoy(
      String gateway, MeshgateProcess meshgate, Path workDir, int listeners) {
    String nodeId = EnvoyProcess.uniqueNodeId(gateway);
    return EnvoyProcess.start(
        nodeId,
        adminPort -> Bootstraps.gateway(meshgate, gateway, nodeId, adminPort),
        workDir,
        listeners);
  }

  /** As {@link #startEnvoy}, over delta xDS ({@code meshgate bootstrap --delta}). */
  static EnvoyProcess startDeltaEnvoy(
      String gateway, MeshgateProcess meshgate, Path workDir, int listeners) {
    String nodeId = EnvoyProcess.uniqueNodeId(gateway + "-delta");
    return EnvoyProcess.start(
        nodeId,
        adminPort -> Bootstraps.deltaGateway(meshgate, gateway, nodeId, adminPort),
        workDir,
        listeners);
  }

  /** A sidecar Envoy of service {@code service}, as {@link #startEnvoy} for gateways. */
  static EnvoyProcess startSidecar(
      String service, MeshgateProcess meshgate, Path workDir, int listeners) {
    String nodeId = EnvoyProcess.uniqueNodeId(service);
    return EnvoyProcess.start(
        nodeId,
        adminPort -> Bootstraps.sidecar(meshgate, service, nodeId, adminPort),
        workDir,
        listeners);
  }

  MeshgateProcess meshgate() {
    return meshgate;
  }

  EnvoyProcess envoy() {
    return envoy;
  }

  Path policyFile() {
    return policyFile;
  }

  /** {@code http://127.0.0.1:LISTEN_PORT/path}. */
  String url(String pathAndQuery) {
    return "http://127.0.0.1:" + listenPort + pathAndQuery;
  }

  /** Rewrites the policy file in place; meshgate's file watcher picks it up. */
  void updatePolicy(String policy) {
    Policy.write(policyFile, policy);
  }

  /** Replaces the policy file by an atomic rename (the other way editors save). */
  void replacePolicy(String policy) {
    Policy.replaceAtomically(policyFile, policy);
  }

  @Override
  public void close() {
    try {
      envoy.close();
    } finally {
      meshgate.close();
    }
  }
}
