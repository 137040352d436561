package dev.meshgate.discovery.kubernetes;

import dev.meshgate.discovery.SecretStore;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SecretStore} on the cluster's Secrets: one fabric8 informer per Secret (a list and watch
 * narrowed to its name), so a rotated Secret is in the cache within the watch's latency and the
 * server needs RBAC get/list/watch on the Secrets it is told to read, nothing more. Values are
 * decoded here and never logged.
 */
public final class KubernetesSecrets implements SecretStore {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesSecrets.class);

  /** How long the first read of a Secret waits for its informer to sync. */
  private static final Duration FIRST_SYNC = Duration.ofSeconds(5);

  private final KubernetesClient client;
  private final boolean ownsClient;
  private final Map<String, SharedIndexInformer<Secret>> informers = new ConcurrentHashMap<>();

  /** Secrets through {@code client}; the caller keeps owning it. */
  public KubernetesSecrets(KubernetesClient client) {
    this(client, false);
  }

  private KubernetesSecrets(KubernetesClient client, boolean ownsClient) {
    this.client = Objects.requireNonNull(client, "client");
    this.ownsClient = ownsClient;
  }

  /**
   * Secrets of the cluster of the current kubeconfig context (in a pod: its service account), as
   * {@link KubernetesCatalog#connect()} finds it.
   *
   * @throws KubernetesUnavailableException when there is no cluster to connect to
   */
  public static KubernetesSecrets connect() {
    ClusterConfiguration.whyMissing(
            System.getenv(), System.getProperties(), ClusterConfiguration.home())
        .ifPresent(why -> {
          throw new KubernetesUnavailableException(why);
        });
    return new KubernetesSecrets(
        new KubernetesClientBuilder().withConfig(Config.autoConfigure(null)).build(), true);
  }

  @Override
  public Optional<Map<String, String>> data(String namespace, String name) {
    String key = namespace + "/" + name;
    SharedIndexInformer<Secret> informer =
        informers.computeIfAbsent(
            key,
            k -> {
              SharedIndexInformer<Secret> started =
                  client.secrets().inNamespace(namespace).withName(name).runnableInformer(0);
              try {
                started
                    .start()
                    .toCompletableFuture()
                    .get(FIRST_SYNC.toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (Exception e) {
                LOG.warn(
                    "Secret {}: not readable yet ({}); retrying in the background",
                    k,
                    e.getClass().getSimpleName());
              }
              return started;
            });
    return informer.getStore().list().stream()
        .filter(s -> name.equals(s.getMetadata().getName()))
        .findFirst()
        .map(KubernetesSecrets::decoded);
  }

  /** {@code data} (base64) and {@code stringData}, decoded; sorted for stable comparisons. */
  private static Map<String, String> decoded(Secret secret) {
    Map<String, String> out = new TreeMap<>();
    Optional.ofNullable(secret.getData())
        .ifPresent(d ->
            d.forEach((k, v) -> {
              try {
                out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8));
              } catch (IllegalArgumentException e) {
                // Not base64: left out, so the reader reports the key as missing, never the value.
              }
            }));
    Optional.ofNullable(secret.getStringData()).ifPresent(out::putAll);
    return Map.copyOf(out);
  }

  @Override
  public void close() {
    informers.values().forEach(SharedIndexInformer::close);
    informers.clear();
    if (ownsClient) {
      client.close();
    }
  }
}
