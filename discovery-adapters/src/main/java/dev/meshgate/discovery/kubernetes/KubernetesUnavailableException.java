package dev.meshgate.discovery.kubernetes;

/**
 * Given to {@link dev.meshgate.discovery.EndpointListener#onError}: the Kubernetes API cannot
 * currently be listed or watched for a namespace. The informers keep retrying with backoff; the
 * last endpoints stay valid until they succeed.
 */
public final class KubernetesUnavailableException extends RuntimeException {

  public KubernetesUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public KubernetesUnavailableException(String message) {
    super(message);
  }
}
