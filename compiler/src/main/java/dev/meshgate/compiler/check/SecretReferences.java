package dev.meshgate.compiler.check;

import java.util.Optional;

/**
 * issue 12: {@code kubernetes-secret "namespace/name"}, where {@code meshgate serve --kubernetes}
 * reads api keys or basic-auth users. Both parts are DNS-1123 names, as the API server wants them.
 */
final class SecretReferences {
  private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";
  private static final String DNS_SUBDOMAIN =
      "(?=.{1,253}$)" + DNS_LABEL + "(\\." + DNS_LABEL + ")*";

  private SecretReferences() {}

  /** What is wrong with {@code reference}, for a message; empty when it is a valid reference. */
  static Optional<String> problem(String reference, String example) {
    int slash = reference.indexOf('/');
    if (slash > 0
        && reference.substring(0, slash).matches(DNS_LABEL)
        && reference.substring(slash + 1).matches(DNS_SUBDOMAIN)) {
      return Optional.empty();
    }
    return Optional.of(
        "kubernetes-secret \""
            + reference
            + "\" is not a Secret reference \"namespace/name\" (lower-case letters, digits and -);"
            + " write it like \""
            + example
            + "\"");
  }
}
