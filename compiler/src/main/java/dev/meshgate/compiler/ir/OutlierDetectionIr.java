package dev.meshgate.compiler.ir;

import java.time.Duration;

/**
 * {@code outlier-detection}: passive health, Envoy's outlier_detection with defaults applied. A
 * consecutive-failure count of 0 turns that detector off.
 *
 * @param consecutive5xx 5xx answers (and local-origin failures, unless counted apart) in a row
 * @param consecutiveGatewayErrors 502, 503, 504 in a row; 0 = off (Envoy's default)
 * @param consecutiveLocalFailures connect failures, timeouts and resets in a row, counted apart
 *     from 5xx answers; 0 = counted as 5xx (Envoy's default)
 * @param successRatePercent how often a success-rate ejection is enforced; 0 = off
 */
public record OutlierDetectionIr(
    long consecutive5xx,
    long consecutiveGatewayErrors,
    long consecutiveLocalFailures,
    Duration interval,
    Duration baseEjection,
    int maxEjectedPercent,
    int successRatePercent,
    long successRateMinHosts,
    long successRateMinRequests) {}
