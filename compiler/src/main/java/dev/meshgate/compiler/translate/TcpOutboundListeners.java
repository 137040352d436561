package dev.meshgate.compiler.translate;

import dev.meshgate.compiler.ir.SidecarIr;
import dev.meshgate.compiler.ir.TcpOutboundIr;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.List;

/**
 * One listener {@code <svc>:outbound:<callee>} per {@code call <svc> -> <callee> { port P }}
 * towards a {@code tcp} service: bound on the sidecar's outbound address at port P, it relays every
 * connection to the cluster {@code <callee>} (the same EDS cluster, with the same mTLS and SPIFFE
 * check, as an HTTP callee gets). Stats: {@code tcp.<svc>_outbound_<callee>.*}.
 */
final class TcpOutboundListeners {
  private TcpOutboundListeners() {}

  static String name(SidecarIr sidecar, TcpOutboundIr tcp) {
    return sidecar.service() + ":outbound:" + tcp.callee();
  }

  static List<Listener> listeners(SidecarIr sidecar) {
    return sidecar.tcpOutbound().stream().map(tcp -> listener(sidecar, tcp)).toList();
  }

  private static Listener listener(SidecarIr sidecar, TcpOutboundIr tcp) {
    return Listener.newBuilder()
        .setName(name(sidecar, tcp))
        .setAddress(Listeners.address(tcp.listen().address(), tcp.listen().port()))
        .addFilterChains(
            FilterChain.newBuilder()
                .addFilters(
                    TcpProxies.filter(
                        sidecar.service() + "_outbound_" + tcp.callee(), tcp.callee())))
        .build();
  }
}
