package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import dev.meshgate.compiler.ir.RouteActionIr;
import dev.meshgate.compiler.ir.VirtualHostIr;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.util.List;
import java.util.Optional;

/**
 * {@code fault delay …}/{@code fault abort …} (setting unit: {@code setting/Faults}): the fault
 * filter sits in the chain of a listener whose routes inject faults, configured to inject nothing;
 * each such route carries its own faults as the filter's per-route config, which replaces the
 * listener's. Listeners without faults get no filter, so their output is unchanged.
 */
final class Faults {
  static final String FILTER = "envoy.filters.http.fault";

  private Faults() {}

  /** The filter for a listener serving these virtual hosts, when one of their routes needs it. */
  static List<HttpFilter> filters(List<VirtualHostIr> hosts) {
    boolean any =
        hosts.stream()
            .flatMap(h -> h.routes().stream())
            .anyMatch(r -> r.action() instanceof RouteActionIr.Forward f && f.fault().isPresent());
    return any
        ? List.of(
            HttpFilter.newBuilder()
                .setName(FILTER)
                .setTypedConfig(Any.pack(HTTPFault.getDefaultInstance()))
                .build())
        : List.of();
  }

  /** A route's faults, as the fault filter's per-route config. */
  static Optional<Any> perRoute(RouteActionIr.Forward forward) {
    return forward.fault().map(f -> Any.pack(fault(f)));
  }

  private static HTTPFault fault(RouteActionIr.FaultIr f) {
    HTTPFault.Builder fault = HTTPFault.newBuilder();
    f.delay()
        .ifPresent(
            d ->
                fault.setDelay(
                    FaultDelay.newBuilder()
                        .setFixedDelay(ProtoDurations.of(d.delay()))
                        .setPercentage(percent(d.percent()))));
    f.abort()
        .ifPresent(
            a -> {
              FaultAbort.Builder abort =
                  FaultAbort.newBuilder().setPercentage(percent(a.percent()));
              if (a.grpc()) {
                abort.setGrpcStatus(a.status());
              } else {
                abort.setHttpStatus(a.status());
              }
              fault.setAbort(abort);
            });
    f.header()
        .ifPresent(
            h -> fault.addHeaders(HeaderMatcher.newBuilder().setName(h).setPresentMatch(true)));
    // max_active_faults stays unset (unlimited): the share written is the share injected, however
    // many requests are in flight.
    return fault.build();
  }

  private static FractionalPercent percent(int percent) {
    return FractionalPercent.newBuilder()
        .setNumerator(percent)
        .setDenominator(FractionalPercent.DenominatorType.HUNDRED)
        .build();
  }
}
