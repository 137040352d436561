package dev.meshgate.compiler.plan;

import java.util.Locale;

/**
 * The kinds of resource a proxy is served, in the order a plan lists them (the order Envoy needs
 * them warmed in does not matter to a reviewer; this one reads top-down like a config).
 */
public enum ResourceKind {
  /** LDS: a Listener, named {@code <gateway>:<port>} or by the sidecar's role. */
  LISTENER,
  /** RDS: a RouteConfiguration. */
  ROUTE,
  /** CDS: a Cluster. */
  CLUSTER,
  /**
   * EDS: what the ClusterLoadAssignment of a cluster is built from (the service, its source and the
   * subset selector; for static sources the selected addresses), since the endpoints themselves are
   * only known at serve time for discovered services.
   */
  ENDPOINTS,
  /**
   * SDS: {@code meshgate.identity} (the SPIFFE ID the certificate is issued for) and {@code
   * meshgate.trust-bundle} (its trust domain). Key material is issued by the server and is never
   * part of a plan.
   */
  SECRET;

  /** {@code listener}, {@code route}, …. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code listeners}, {@code routes}, …: the key of the kind in JSON output. */
  public String plural() {
    return this == ENDPOINTS ? "endpoints" : label() + "s";
  }
}
