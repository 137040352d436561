package dev.meshgate.compiler.ir;

import java.util.Optional;

/**
 * The mesh-wide settings: the SPIFFE trust domain every identity lives in, whether sidecars accept
 * plaintext next to mTLS, and what happens to a request no rule allows.
 */
public record MeshIr(
    Optional<String> name, String trustDomain, Mtls mtls, AuthzDefault authzDefault) {
  public static final String DEFAULT_TRUST_DOMAIN = "meshgate.local";

  public enum Mtls {
    /** Inbound listeners accept only mTLS. */
    STRICT,
    /** Inbound listeners accept mTLS and plaintext (plaintext callers have no identity). */
    PERMISSIVE
  }

  public enum AuthzDefault {
    /** A request needs a matching allow rule. */
    DENY,
    /** A request passes unless a deny rule matches. */
    ALLOW
  }

  /** What a policy without a {@code mesh} block gets. */
  public static MeshIr defaults() {
    return new MeshIr(Optional.empty(), DEFAULT_TRUST_DOMAIN, Mtls.STRICT, AuthzDefault.DENY);
  }

  /** {@code spiffe://<trust domain>/service/<name>}. */
  public String serviceIdentity(String service) {
    return "spiffe://" + trustDomain + "/service/" + service;
  }

  /** {@code spiffe://<trust domain>/gateway/<name>}. */
  public String gatewayIdentity(String gateway) {
    return "spiffe://" + trustDomain + "/gateway/" + gateway;
  }
}
