package dev.meshgate.discovery;

import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One instance of a service as a catalog knows it: where it listens, the labels subsets select on,
 * the zone it runs in (for locality-aware balancing) and whether the catalog considers it healthy.
 * Catalogs report unhealthy endpoints too, so a consumer can tell "no endpoints" from "no healthy
 * endpoints". The hostname, when the catalog knows one, is what Envoy sends as Host for a route
 * with {@code rewrite host to-endpoint} (EDS {@code Endpoint.hostname}).
 */
public record Endpoint(
    String host,
    int port,
    SortedMap<String, String> labels,
    Optional<String> zone,
    boolean healthy,
    Optional<String> hostname) {

  /**
   * Zone, host, port: the order endpoints are served in, so output does not depend on discovery
   * order.
   */
  public static final Comparator<Endpoint> ORDER =
      Comparator.comparing((Endpoint e) -> e.zone().orElse(""))
          .thenComparing(Endpoint::host)
          .thenComparingInt(Endpoint::port);

  public Endpoint {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(hostname, "hostname");
    if (host.isBlank()) {
      throw new IllegalArgumentException("endpoint host is blank");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("endpoint port out of range 1..65535: " + port);
    }
    labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
  }

  /** An endpoint without hostname. */
  public Endpoint(
      String host,
      int port,
      SortedMap<String, String> labels,
      Optional<String> zone,
      boolean healthy) {
    this(host, port, labels, zone, healthy, Optional.empty());
  }

  /** A healthy endpoint without labels or zone. */
  public static Endpoint of(String host, int port) {
    return new Endpoint(host, port, new TreeMap<>(), Optional.empty(), true);
  }

  /**
   * True when every {@code selector} entry is among this endpoint's labels (an empty selector
   * matches all).
   */
  public boolean matches(Map<String, String> selector) {
    return selector.entrySet().stream().allMatch(s -> s.getValue().equals(labels.get(s.getKey())));
  }

  public Endpoint withHealthy(boolean healthy) {
    return new Endpoint(host, port, labels, zone, healthy, hostname);
  }

  @Override
  public String toString() {
    return host
        + ":"
        + port
        + (healthy ? "" : "(unhealthy)")
        + labels
        + zone.map(z -> "@" + z).orElse("");
  }
}
