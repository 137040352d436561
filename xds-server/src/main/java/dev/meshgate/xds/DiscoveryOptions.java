package dev.meshgate.xds;

import dev.meshgate.discovery.CompositeCatalog;
import dev.meshgate.discovery.SecretStore;
import dev.meshgate.discovery.ServiceCatalog;
import dev.meshgate.discovery.StaticCatalog;
import dev.meshgate.discovery.consul.ConsulCatalog;
import dev.meshgate.discovery.consul.ConsulSettings;
import dev.meshgate.discovery.kubernetes.KubernetesCatalog;
import dev.meshgate.discovery.kubernetes.KubernetesSecrets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a {@link MeshgateServer} finds endpoints besides the policy's static sources, and how
 * endpoint changes are published.
 *
 * @param consul the Consul agent that answers {@code source consul "…"}; empty: such sources are
 *     refused with a message naming {@code --consul}
 * @param kubernetes whether {@code source kubernetes "…"} is answered from the cluster of the
 *     current kubeconfig context (or the in-cluster service account)
 * @param coalesce how long endpoint changes are collected before the affected groups are rebuilt
 *     and pushed (zero: at once)
 */
public record DiscoveryOptions(
    Optional<ConsulSettings> consul, boolean kubernetes, Duration coalesce) {
  public static final Duration DEFAULT_COALESCE = Publisher.DEFAULT_COALESCE;

  public DiscoveryOptions {
    Objects.requireNonNull(consul, "consul");
    Objects.requireNonNull(coalesce, "coalesce");
    if (coalesce.isNegative()) {
      throw new IllegalArgumentException("coalesce must not be negative: " + coalesce);
    }
  }

  /** Static sources only, default coalescing. */
  public static DiscoveryOptions staticOnly() {
    return new DiscoveryOptions(Optional.empty(), false, DEFAULT_COALESCE);
  }

  public DiscoveryOptions withConsul(ConsulSettings settings) {
    return new DiscoveryOptions(Optional.of(settings), kubernetes, coalesce);
  }

  public DiscoveryOptions withKubernetes(boolean enabled) {
    return new DiscoveryOptions(consul, enabled, coalesce);
  }

  public DiscoveryOptions withCoalesce(Duration window) {
    return new DiscoveryOptions(consul, kubernetes, window);
  }

  /**
   * Where {@code kubernetes-secret} credentials are read (issue 12): the cluster's Secrets with
   * {@code kubernetes}, none otherwise (a policy naming one is then refused, naming the flag).
   */
  public Optional<SecretStore> openSecrets() {
    return kubernetes ? Optional.of(KubernetesSecrets.connect()) : Optional.empty();
  }

  /**
   * The catalog these options describe: static sources always, Consul and Kubernetes when
   * configured. Neither adapter contacts its server here (they retry in the background), except
   * that the Kubernetes client reads its kubeconfig.
   */
  public ServiceCatalog openCatalog() {
    Optional<ServiceCatalog> consulCatalog = consul.map(ConsulCatalog::connect);
    try {
      Optional<ServiceCatalog> kubernetesCatalog =
          kubernetes ? Optional.of(KubernetesCatalog.connect()) : Optional.empty();
      return new CompositeCatalog(new StaticCatalog(), consulCatalog, kubernetesCatalog);
    } catch (RuntimeException e) {
      consulCatalog.ifPresent(ServiceCatalog::close);
      throw e;
    }
  }
}
