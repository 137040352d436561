package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;

/**
 * {@code envoy.filters.network.tcp_proxy}: relay a connection's bytes to one cluster. The last
 * network filter of every chain that carries a {@code tcp} service (both sides of the mesh). Stats
 * live under {@code tcp.<stat_prefix>.*}.
 */
final class TcpProxies {
  static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";

  private TcpProxies() {}

  static Filter filter(String statPrefix, String cluster) {
    TcpProxy proxy =
        TcpProxy.newBuilder()
            .setStatPrefix(statPrefix)
            .setCluster(cluster)
            .addAccessLog(AccessLogs.DEFAULT)
            .build();
    return Filter.newBuilder().setName(TCP_PROXY).setTypedConfig(Any.pack(proxy)).build();
  }
}
