package dev.meshgate.compiler.translate;

import dev.meshgate.compiler.ir.SidecarIr;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.util.Comparator;
import java.util.Optional;

/**
 * A sidecar's outbound listener {@code <svc>:outbound}, where the app sends its calls ({@code
 * http://catalog/…} through the outbound port): routes over RDS from the RouteConfiguration {@code
 * <svc>:outbound}, one virtual host per callee, matched on the Host header (the callee's name, any
 * port). A sidecar that may call nothing gets no outbound listener at all: nothing to serve, and no
 * port to bind.
 */
final class OutboundListeners {
  private OutboundListeners() {}

  static String name(SidecarIr sidecar) {
    return sidecar.service() + ":outbound";
  }

  static Optional<Listener> listener(SidecarIr sidecar) {
    if (sidecar.outboundHosts().isEmpty()) {
      return Optional.empty();
    }
    HttpConnectionManager hcm =
        Tracing.apply(
                Listeners.common(sidecar.service() + "_outbound", sidecar.accessLog()),
                sidecar.tracing())
            .setRds(Listeners.rds(name(sidecar)))
            .addAllHttpFilters(HttpFilters.sidecarOutbound(sidecar))
            .setStripAnyHostPort(true)
            .build();
    return Optional.of(
        Listener.newBuilder()
            .setName(name(sidecar))
            .setAddress(Listeners.address(sidecar.outbound().address(), sidecar.outbound().port()))
            .addFilterChains(FilterChain.newBuilder().addFilters(Listeners.hcmFilter(hcm)))
            .build());
  }

  static Optional<RouteConfiguration> routes(SidecarIr sidecar) {
    if (sidecar.outboundHosts().isEmpty()) {
      return Optional.empty();
    }
    RouteConfiguration.Builder config = RouteConfiguration.newBuilder().setName(name(sidecar));
    sidecar.outboundHosts().stream()
        .sorted(Comparator.comparing(h -> h.name()))
        .map(RouteConfigurations::virtualHost)
        .forEach(config::addVirtualHosts);
    return Optional.of(config.build());
  }
}
