package dev.meshgate.compiler.plan;

import java.util.List;
import java.util.Optional;

/**
 * Which planned changes touch security (issue 12): TLS termination and certificates, client
 * certificate checks, HTTPS redirects, CORS, authentication and authorization filters, and the
 * clusters JWT keys and OIDC tokens are fetched through and external authorization services are
 * asked through. A reviewer reads these first; `plan` marks them.
 */
public final class SecurityRelevance {
  /** Envoy field names and extension names that carry security meaning. */
  private static final List<String> MARKERS =
      List.of(
          "transport_socket",
          "tls_",
          "server_names",
          "sds_secret",
          "forward_client_cert",
          "https_redirect",
          "envoy.filters.http.cors",
          "allow_origin",
          "allow_credentials",
          "jwt",
          "jwks",
          "rbac",
          "ext_authz",
          "ext-authz:", // the cluster of an external authorization service (issue 12)
          "oauth2",
          "oidc", // oidc login (issue 12): the filters, per-route switches and token clusters
          "basic_auth",
          "api_key",
          "allowed_clients",
          "x-meshgate-client");

  private SecurityRelevance() {}

  /** Whether this field change is security-relevant. */
  public static boolean of(FieldChange field) {
    return mentions(field.path()) || mentions(field.before()) || mentions(field.after());
  }

  /** Whether this resource change (added, removed or changed) is security-relevant. */
  public static boolean of(ResourceChange resource) {
    // A resource named for security (the `jwks:<provider>` cluster the keys are fetched through)
    // is relevant whatever field changes: moving it moves where trust comes from.
    if (mentions(resource.name())) {
      return true;
    }
    if (resource.fields().isEmpty()) {
      return mentions(resource.before()) || mentions(resource.after());
    }
    return resource.fields().stream().anyMatch(SecurityRelevance::of);
  }

  private static boolean mentions(Optional<String> text) {
    return text.map(SecurityRelevance::mentions).orElse(false);
  }

  private static boolean mentions(String text) {
    return MARKERS.stream().anyMatch(text::contains);
  }
}
