package dev.meshgate.compiler.ir;

/**
 * {@code load-balancer …}: how every caller's Envoy picks one of the service's endpoints, with
 * defaults applied (Envoy's Cluster.lb_policy and its per-policy config).
 *
 * @param choiceCount endpoints sampled per pick ({@code LEAST_REQUEST} only; Envoy's default 2)
 * @param minRingSize smallest hash ring ({@code RING_HASH} only; Envoy's default 1024)
 * @param maxRingSize largest hash ring ({@code RING_HASH} only; Envoy's default 8M)
 */
public record LoadBalancerIr(Kind kind, long choiceCount, long minRingSize, long maxRingSize) {

  public enum Kind {
    ROUND_ROBIN("round-robin"),
    LEAST_REQUEST("least-request"),
    RANDOM("random"),
    RING_HASH("ring-hash"),
    MAGLEV("maglev");

    /** The word a policy writes. */
    public final String word;

    Kind(String word) {
      this.word = word;
    }

    /** Whether requests' hash policies ({@code hash-by}) pick the endpoint. */
    public boolean hashes() {
      return this == RING_HASH || this == MAGLEV;
    }

    /** Whether Envoy can ramp up new endpoints ({@code slow-start}) with this policy. */
    public boolean rampsUp() {
      return this == ROUND_ROBIN || this == LEAST_REQUEST;
    }
  }
}
