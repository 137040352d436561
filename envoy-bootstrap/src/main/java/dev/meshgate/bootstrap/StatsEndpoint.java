package dev.meshgate.bootstrap;

import java.util.Objects;

/**
 * Where an Envoy serves its Prometheus stats to scrapers: a static listener of the bootstrap that
 * forwards exactly {@code GET /stats/prometheus} (and {@code GET /ready}, for probes) to the admin
 * interface, which itself stays on loopback. Istio's 15090 and Envoy Gateway's 19001 work the same
 * way.
 *
 * @param bindAddress the address the listener binds, {@code 0.0.0.0} for scrapers on other hosts
 * @param port the listener's port, 1..65535
 */
public record StatsEndpoint(String bindAddress, int port) {

  /** Istio's port for the same thing, so existing scrape configs and habits carry over. */
  public static final int DEFAULT_PORT = 15090;

  /** The only admin paths the stats listener forwards; everything else answers 404. */
  public static final String PROMETHEUS_PATH = "/stats/prometheus";

  public static final String READY_PATH = "/ready";

  public StatsEndpoint {
    Objects.requireNonNull(bindAddress, "bindAddress");
    if (bindAddress.isBlank()) {
      throw new IllegalArgumentException("stats bind address must not be empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("stats port must be 1..65535, got " + port);
    }
  }
}
