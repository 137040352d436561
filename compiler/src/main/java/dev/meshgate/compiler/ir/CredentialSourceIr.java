package dev.meshgate.compiler.ir;

/**
 * Where {@code meshgate serve} reads a gateway's credentials (API keys, basic-auth users; issue
 * 12): a file by absolute path, or a Kubernetes Secret. The compiler never reads either.
 */
public sealed interface CredentialSourceIr {
  /** {@code keys|users file "/abs/path"}. */
  record File(String path) implements CredentialSourceIr {}

  /** {@code keys|users kubernetes-secret "namespace/name"}. */
  record KubernetesSecret(String namespace, String name) implements CredentialSourceIr {
    /** As the policy writes it: {@code namespace/name}. */
    public String reference() {
      return namespace + "/" + name;
    }
  }

  /**
   * The source a policy names: {@code text} is a path, or with {@code kubernetesSecret} a checked
   * {@code namespace/name} reference.
   */
  static CredentialSourceIr of(String text, boolean kubernetesSecret) {
    if (!kubernetesSecret) {
      return new File(text);
    }
    int slash = text.indexOf('/');
    return new KubernetesSecret(text.substring(0, slash), text.substring(slash + 1));
  }
}
