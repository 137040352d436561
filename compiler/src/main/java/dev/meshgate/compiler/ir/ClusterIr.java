package dev.meshgate.compiler.ir;

import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An upstream cluster: a whole service ({@code catalog}) or one subset ({@code catalog.v2}). Its
 * endpoints are the service's endpoints whose labels include every {@code selector} entry. {@code
 * peerIdentity} is set when the service is in the mesh: the proxy then originates mTLS and accepts
 * only a peer certificate with exactly that SPIFFE ID. {@code settings} are the service's cluster
 * settings (issue 14), the same for the service's cluster and its subsets'.
 */
public record ClusterIr(
    String name,
    String service,
    Protocol protocol,
    SortedMap<String, String> selector,
    Optional<String> peerIdentity,
    ClusterSettingsIr settings) {
  public ClusterIr {
    selector = Collections.unmodifiableSortedMap(new TreeMap<>(selector));
  }

  /** A cluster without cluster settings. */
  public ClusterIr(
      String name,
      String service,
      Protocol protocol,
      SortedMap<String, String> selector,
      Optional<String> peerIdentity) {
    this(name, service, protocol, selector, peerIdentity, ClusterSettingsIr.NONE);
  }

  /** The same cluster with the service's cluster settings. */
  public ClusterIr withSettings(ClusterSettingsIr settings) {
    return new ClusterIr(name, service, protocol, selector, peerIdentity, settings);
  }

  /** A cluster towards a service outside the mesh (plaintext). */
  public ClusterIr(
      String name, String service, Protocol protocol, SortedMap<String, String> selector) {
    this(name, service, protocol, selector, Optional.empty());
  }
}
