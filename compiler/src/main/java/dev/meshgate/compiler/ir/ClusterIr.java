package dev.meshgate.compiler.ir;

import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An upstream cluster: a whole service ({@code catalog}) or one subset ({@code catalog.v2}). Its
 * endpoints are the service's endpoints whose labels include every {@code selector} entry. {@code
 * peerIdentity} is set when the service is in the mesh: the proxy then originates mTLS and accepts
 * only a peer certificate with exactly that SPIFFE ID.
 */
public record ClusterIr(
    String name,
    String service,
    Protocol protocol,
    SortedMap<String, String> selector,
    Optional<String> peerIdentity) {
  public ClusterIr {
    selector = Collections.unmodifiableSortedMap(new TreeMap<>(selector));
  }

  /** A cluster towards a service outside the mesh (plaintext). */
  public ClusterIr(
      String name, String service, Protocol protocol, SortedMap<String, String> selector) {
    this(name, service, protocol, selector, Optional.empty());
  }
}
