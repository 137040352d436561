package dev.meshgate.compiler.translate;

import static dev.meshgate.compiler.translate.CircuitBreakers.uint32;

import dev.meshgate.compiler.ir.OutlierDetectionIr;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;

/**
 * {@code outlier-detection} → Cluster.outlier_detection, every field written out. A consecutive
 * count of 0 is that detector's enforcement at 0% (off); a local-failure count splits local-origin
 * failures (connect failure, timeout, reset) from 5xx answers.
 */
final class OutlierDetections {
  /** The count written for a detector that is off (enforcement 0%): Envoy's default. */
  private static final long ENVOY_DEFAULT = 5;

  private OutlierDetections() {}

  static void apply(OutlierDetectionIr od, Cluster.Builder envoy) {
    OutlierDetection.Builder o =
        OutlierDetection.newBuilder()
            .setInterval(ProtoDurations.of(od.interval()))
            .setBaseEjectionTime(ProtoDurations.of(od.baseEjection()))
            .setMaxEjectionPercent(uint32(od.maxEjectedPercent()))
            .setConsecutive5Xx(
                uint32(od.consecutive5xx() == 0 ? ENVOY_DEFAULT : od.consecutive5xx()))
            .setEnforcingConsecutive5Xx(uint32(od.consecutive5xx() == 0 ? 0 : 100))
            .setConsecutiveGatewayFailure(
                uint32(
                    od.consecutiveGatewayErrors() == 0
                        ? ENVOY_DEFAULT
                        : od.consecutiveGatewayErrors()))
            .setEnforcingConsecutiveGatewayFailure(
                uint32(od.consecutiveGatewayErrors() == 0 ? 0 : 100))
            .setEnforcingSuccessRate(uint32(od.successRatePercent()))
            .setSuccessRateMinimumHosts(uint32(od.successRateMinHosts()))
            .setSuccessRateRequestVolume(uint32(od.successRateMinRequests()));
    if (od.consecutiveLocalFailures() > 0) {
      o.setSplitExternalLocalOriginErrors(true)
          .setConsecutiveLocalOriginFailure(uint32(od.consecutiveLocalFailures()))
          .setEnforcingConsecutiveLocalOriginFailure(uint32(100));
    }
    envoy.setOutlierDetection(o);
  }
}
