package dev.meshgate.compiler.translate;

import static dev.meshgate.compiler.translate.CircuitBreakers.uint32;

import dev.meshgate.compiler.ir.HealthCheckIr;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.HealthCheck;
import io.envoyproxy.envoy.type.v3.CodecClientType;
import io.envoyproxy.envoy.type.v3.Int64Range;

/**
 * {@code health-check} → Cluster.health_checks (one). Envoy checks at {@code interval} whether or
 * not traffic flows ({@code no_traffic_interval} is the same), so an endpoint's state is as fresh
 * before the first request as after.
 */
final class HealthChecks {
  private HealthChecks() {}

  static void apply(HealthCheckIr hc, Cluster.Builder envoy) {
    HealthCheck.Builder check =
        HealthCheck.newBuilder()
            .setTimeout(ProtoDurations.of(hc.timeout()))
            .setInterval(ProtoDurations.of(hc.interval()))
            .setNoTrafficInterval(ProtoDurations.of(hc.interval()))
            .setUnhealthyThreshold(uint32(hc.unhealthy()))
            .setHealthyThreshold(uint32(hc.healthy()));
    switch (hc.kind()) {
      case HTTP ->
          check.setHttpHealthCheck(
              HealthCheck.HttpHealthCheck.newBuilder()
                  .setPath(hc.target())
                  .addExpectedStatuses(
                      Int64Range.newBuilder().setStart(hc.expect()).setEnd(hc.expect() + 1L))
                  .setCodecClientType(hc.http2() ? CodecClientType.HTTP2 : CodecClientType.HTTP1));
      case TCP -> check.setTcpHealthCheck(HealthCheck.TcpHealthCheck.getDefaultInstance());
      case GRPC ->
          check.setGrpcHealthCheck(
              HealthCheck.GrpcHealthCheck.newBuilder().setServiceName(hc.target()));
    }
    envoy.addHealthChecks(check);
  }
}
