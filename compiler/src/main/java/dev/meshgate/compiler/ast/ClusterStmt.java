package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;
import java.util.List;
import java.util.Optional;

/**
 * A cluster setting written on a service (issue 14): how every caller's Envoy treats the service's
 * endpoints (Envoy's Cluster fields). A new cluster setting is a record here, a grammar alternative
 * in {@code clusterStmt} and a unit in {@code setting.ClusterSettings.ALL}.
 */
public sealed interface ClusterStmt extends Node {

  /** The statement's keyword, for messages. */
  String keyword();

  /** {@code circuit-breaker { max-connections 100 … }}: Envoy's circuit_breakers thresholds. */
  record CircuitBreaker(List<Field> fields, Span span) implements ClusterStmt {
    public CircuitBreaker {
      fields = List.copyOf(fields);
    }

    @Override
    public String keyword() {
      return "circuit-breaker";
    }
  }

  /** {@code outlier-detection { consecutive-5xx 5 … }}: Envoy's outlier_detection. */
  record OutlierDetection(List<Field> fields, Span span) implements ClusterStmt {
    public OutlierDetection {
      fields = List.copyOf(fields);
    }

    @Override
    public String keyword() {
      return "outlier-detection";
    }
  }

  /**
   * {@code health-check http "/healthz" { expect 200 … }}, {@code health-check tcp}, {@code
   * health-check grpc ["service"]}: an active health check; {@code kind} is judged by the checker.
   */
  record HealthCheck(Name kind, Optional<StringLit> target, List<Field> fields, Span span)
      implements ClusterStmt {
    public HealthCheck {
      fields = List.copyOf(fields);
    }

    @Override
    public String keyword() {
      return "health-check";
    }
  }

  /** {@code panic-threshold 50%}: Envoy's common_lb_config.healthy_panic_threshold. */
  record PanicThreshold(NumberLit percent, Span span) implements ClusterStmt {
    @Override
    public String keyword() {
      return "panic-threshold";
    }
  }

  /**
   * {@code load-balancer least-request { choice-count 2 }}: how every caller's Envoy picks an
   * endpoint (Envoy's Cluster.lb_policy and its config); {@code kind} is judged by the checker.
   */
  record LoadBalancer(Name kind, List<Field> fields, Span span) implements ClusterStmt {
    public LoadBalancer {
      fields = List.copyOf(fields);
    }

    @Override
    public String keyword() {
      return "load-balancer";
    }
  }

  /**
   * {@code slow-start 30s { min-weight 10% }}: a new endpoint's share of traffic ramps up over the
   * window (Envoy's slow_start_config of round-robin and least-request).
   */
  record SlowStart(DurationLit window, List<Field> fields, Span span) implements ClusterStmt {
    public SlowStart {
      fields = List.copyOf(fields);
    }

    @Override
    public String keyword() {
      return "slow-start";
    }
  }

  /** One {@code name value} field of a block; the value's kind is judged by the checker. */
  record Field(Name name, Value value, Span span) implements Node {}

  /** A field's value as written. */
  sealed interface Value extends Node {
    /** The value as written, for messages. */
    String text();
  }

  /** {@code 100}. */
  record Count(NumberLit number) implements Value {
    @Override
    public String text() {
      return number.text();
    }

    @Override
    public Span span() {
      return number.span();
    }
  }

  /** {@code 20%}. */
  record Percent(NumberLit number, Span span) implements Value {
    @Override
    public String text() {
      return number.text() + "%";
    }
  }

  /** {@code 10s}. */
  record Duration(DurationLit duration) implements Value {
    @Override
    public String text() {
      return duration.text();
    }

    @Override
    public Span span() {
      return duration.span();
    }
  }

  /** {@code "text"}. */
  record Text(StringLit string) implements Value {
    @Override
    public String text() {
      return string.raw();
    }

    @Override
    public Span span() {
      return string.span();
    }
  }
}
