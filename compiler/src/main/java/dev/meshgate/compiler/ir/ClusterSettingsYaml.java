package dev.meshgate.compiler.ir;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The YAML of a cluster's settings (issue 14), for {@link IrYaml}; a new setting adds a key. */
final class ClusterSettingsYaml {
  private ClusterSettingsYaml() {}

  static void put(ClusterSettingsIr s, Map<String, Object> cluster) {
    s.circuitBreaker().ifPresent(cb -> cluster.put("circuit-breaker", circuitBreaker(cb)));
    s.outlierDetection().ifPresent(od -> cluster.put("outlier-detection", outlier(od)));
    s.healthCheck().ifPresent(hc -> cluster.put("health-check", healthCheck(hc)));
    s.panicThreshold().ifPresent(p -> cluster.put("panic-threshold", p + "%"));
    s.loadBalancer().ifPresent(lb -> cluster.put("load-balancer", loadBalancer(lb)));
    s.slowStart().ifPresent(w -> cluster.put("slow-start", slowStart(w)));
  }

  private static Object loadBalancer(LoadBalancerIr lb) {
    return switch (lb.kind()) {
      case LEAST_REQUEST -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", lb.kind().word);
        m.put("choice-count", lb.choiceCount());
        yield m;
      }
      case RING_HASH -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", lb.kind().word);
        m.put("min-ring-size", lb.minRingSize());
        m.put("max-ring-size", lb.maxRingSize());
        yield m;
      }
      case ROUND_ROBIN, RANDOM, MAGLEV -> lb.kind().word;
    };
  }

  private static Map<String, Object> slowStart(SlowStartIr w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("window", IrYaml.duration(w.window()));
    m.put("min-weight", w.minWeightPercent() + "%");
    return m;
  }

  private static Map<String, Object> circuitBreaker(CircuitBreakerIr cb) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("max-connections", cb.maxConnections());
    m.put("max-pending", cb.maxPending());
    m.put("max-requests", cb.maxRequests());
    if (cb.retryBudget().isPresent()) {
      m.put("retry-budget", cb.retryBudget().get().percent() + "%");
      m.put("min-retries", cb.retryBudget().get().minRetries());
    } else {
      m.put("max-retries", cb.maxRetries());
    }
    return m;
  }

  private static Map<String, Object> outlier(OutlierDetectionIr od) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("consecutive-5xx", od.consecutive5xx());
    m.put("consecutive-gateway-errors", od.consecutiveGatewayErrors());
    m.put("consecutive-local-failures", od.consecutiveLocalFailures());
    m.put("interval", IrYaml.duration(od.interval()));
    m.put("base-ejection", IrYaml.duration(od.baseEjection()));
    m.put("max-ejected", od.maxEjectedPercent() + "%");
    m.put("success-rate", od.successRatePercent() + "%");
    m.put("success-rate-min-hosts", od.successRateMinHosts());
    m.put("success-rate-min-requests", od.successRateMinRequests());
    return m;
  }

  private static Map<String, Object> healthCheck(HealthCheckIr hc) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", hc.kind().name().toLowerCase(Locale.ROOT));
    switch (hc.kind()) {
      case HTTP -> {
        m.put("path", hc.target());
        m.put("expect", hc.expect());
      }
      case GRPC -> m.put("service", hc.target());
      case TCP -> {}
    }
    m.put("interval", IrYaml.duration(hc.interval()));
    m.put("timeout", IrYaml.duration(hc.timeout()));
    m.put("unhealthy", hc.unhealthy());
    m.put("healthy", hc.healthy());
    if (hc.http2()) {
      m.put("http2", true);
    }
    return m;
  }
}
