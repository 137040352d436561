package dev.meshgate.compiler.plan;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which planned changes touch resilience (issue 14): circuit breakers and retry budgets, outlier
 * detection, active health checks, the panic threshold, route timeouts, retry policies, faults,
 * mirrors and local rate limits (issue 13). A changed threshold is easy to miss among route lines;
 * {@code plan} marks them.
 */
public final class ResilienceRelevance {
  /**
   * Envoy field names that carry resilience meaning, matched against a field's path outside its
   * {@code [name]} keys (a host named {@code timeout.example} is no timeout). Every timeout field
   * counts: {@code timeout}, {@code per_try_timeout}, {@code idle_timeout}, {@code
   * connect_timeout}.
   */
  private static final List<String> FIELDS =
      List.of(
          "circuit_breakers",
          "outlier_detection",
          "health_checks",
          "healthy_panic_threshold",
          "retry_policy",
          "timeout",
          "request_mirror_policies");

  /** The fault filter and its per-route config, by extension name (a key or a value). */
  private static final String FAULT = "envoy.filters.http.fault";

  /** Local rate limits (issue 13): the filter and its per-route config, as for faults. */
  private static final String RATE_LIMIT = "envoy.filters.http.local_ratelimit";

  /**
   * In a whole value (an added route, cluster or filter): the same fields, but a timeout only when
   * it is set to something other than 0s, and never {@code connect_timeout}, which every cluster
   * has.
   */
  private static final Pattern VALUE =
      Pattern.compile(
          "\"(circuit_breakers|outlier_detection|health_checks|healthy_panic_threshold"
              + "|retry_policy|request_mirror_policies)\"|\"(timeout|per_try_timeout)\":\"(?!0s\")"
              + "|"
              + Pattern.quote(FAULT)
              + "|"
              + Pattern.quote(RATE_LIMIT));

  private static final Pattern KEYS = Pattern.compile("\\[[^\\]]*\\]");

  private ResilienceRelevance() {}

  /** Whether this field change touches resilience. */
  public static boolean of(FieldChange field) {
    String path = field.path();
    String outsideKeys = KEYS.matcher(path).replaceAll("");
    return path.contains(FAULT)
        || path.contains(RATE_LIMIT)
        || FIELDS.stream().anyMatch(outsideKeys::contains)
        || mentions(field.before())
        || mentions(field.after());
  }

  /** Whether this resource change (added, removed or changed) touches resilience. */
  public static boolean of(ResourceChange resource) {
    if (resource.fields().isEmpty()) {
      return mentions(resource.before()) || mentions(resource.after());
    }
    return resource.fields().stream().anyMatch(ResilienceRelevance::of);
  }

  private static boolean mentions(Optional<String> json) {
    return json.map(text -> VALUE.matcher(text).find()).orElse(false);
  }
}
