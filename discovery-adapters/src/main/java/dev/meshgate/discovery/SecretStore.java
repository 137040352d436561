package dev.meshgate.discovery;

import java.util.Map;
import java.util.Optional;

/**
 * Credentials a policy names by reference (issue 12: {@code keys kubernetes-secret "ns/name"},
 * {@code users kubernetes-secret "ns/name"}): the data of a Kubernetes Secret, watched once asked
 * for. Plain Java types only, so the Kubernetes client stays in its package.
 */
public interface SecretStore extends AutoCloseable {
  /**
   * The Secret's data now, each value decoded as UTF-8; empty while the Secret is not known (not
   * synced yet, absent, or not readable). The first call for a Secret starts watching it and waits
   * briefly for its first state; later calls answer from the watch's cache.
   */
  Optional<Map<String, String>> data(String namespace, String name);

  @Override
  void close();
}
