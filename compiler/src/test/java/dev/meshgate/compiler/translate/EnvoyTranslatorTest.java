package dev.meshgate.compiler.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.meshgate.compiler.ClusterEndpoints;
import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.compiler.ProxyResources;
import dev.meshgate.compiler.ir.ServiceSource;
import dev.meshgate.compiler.testing.HandBuiltIr;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager.PathWithEscapedSlashesAction;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvoyTranslatorTest {
  private final List<ProxyResources> groups = EnvoyTranslator.translate(HandBuiltIr.allFeatures());

  private ProxyResources edge() {
    return groups.stream().filter(g -> g.group().name().equals("edge")).findFirst().orElseThrow();
  }

  @Test
  void oneGroupPerGatewaySortedByGroup() {
    assertThat(groups)
        .extracting(ProxyResources::group)
        .containsExactly(ProxyGroup.gateway("admin"), ProxyGroup.gateway("edge"));
  }

  @Test
  void listenerPerListenWithConnectionManagerOverRds() throws InvalidProtocolBufferException {
    List<Listener> listeners = edge().listeners();
    assertThat(listeners).extracting(Listener::getName).containsExactly("edge:8080", "edge:8081");
    Listener second = listeners.get(1);
    assertThat(second.getAddress().getSocketAddress().getAddress()).isEqualTo("127.0.0.1");
    assertThat(second.getAddress().getSocketAddress().getPortValue()).isEqualTo(8081);
    assertThat(second.getFilterChainsList()).hasSize(1);
    var filter = second.getFilterChains(0).getFilters(0);
    assertThat(filter.getName()).isEqualTo("envoy.filters.network.http_connection_manager");

    HttpConnectionManager hcm = filter.getTypedConfig().unpack(HttpConnectionManager.class);
    assertThat(hcm.getStatPrefix()).isEqualTo("edge_8081");
    assertThat(hcm.getRds().getRouteConfigName()).isEqualTo("edge");
    assertThat(hcm.getRds().getConfigSource().hasAds()).isTrue();
    assertThat(hcm.getRds().getConfigSource().getResourceApiVersion()).isEqualTo(ApiVersion.V3);
    assertThat(hcm.getStripAnyHostPort()).isFalse();
    assertThat(hcm.getNormalizePath().getValue()).isTrue();
    assertThat(hcm.getMergeSlashes()).isTrue();
    assertThat(hcm.getUseRemoteAddress().getValue()).isTrue();
    assertThat(hcm.getPathWithEscapedSlashesAction())
        .isEqualTo(PathWithEscapedSlashesAction.UNESCAPE_AND_REDIRECT);
    assertThat(hcm.getAccessLog(0).getName()).isEqualTo("envoy.access_loggers.stdout");
    assertThat(hcm.getHttpFiltersList())
        .last()
        .extracting(HttpFilter::getName)
        .isEqualTo("envoy.filters.http.router");
  }

  @Test
  void oneRouteConfigurationNamedAfterTheGatewayWithHostsSortedAndRoutesInPolicyOrder() {
    assertThat(edge().routes()).extracting(RouteConfiguration::getName).containsExactly("edge");
    RouteConfiguration config = edge().routes().getFirst();
    assertThat(config.hasValidateClusters()).isFalse();
    assertThat(config.getVirtualHostsList())
        .extracting(VirtualHost::getName)
        .containsExactly("*", "api.shop.example");
    VirtualHost api = config.getVirtualHosts(1);
    assertThat(api.getDomainsList()).containsExactly("api.shop.example");
    assertThat(api.getRoutesList())
        .extracting(r -> r.getName())
        .containsExactly(
            "api.shop.example/0-catalog",
            "api.shop.example/1-orders",
            "api.shop.example/2-search",
            "api.shop.example/3-items",
            "api.shop.example/4-old",
            "api.shop.example/5-moved",
            "api.shop.example/6-healthz",
            "api.shop.example/7-gone",
            "api.shop.example/8-all");
  }

  @Test
  void clustersAndEndpointsSortedByName() {
    assertThat(edge().clusters())
        .extracting(Cluster::getName)
        .containsExactly("catalog", "catalog.v1", "catalog.v2", "pricing");
    assertThat(edge().endpoints())
        .extracting(ClusterEndpoints::cluster)
        .containsExactly("catalog", "catalog.v1", "catalog.v2", "pricing");
    ClusterEndpoints v2 = edge().endpoints().get(2);
    assertThat(v2.service()).isEqualTo("catalog");
    assertThat(v2.selector()).containsExactly(java.util.Map.entry("version", "v2"));
    assertThat(v2.source()).isInstanceOf(ServiceSource.Static.class);
  }

  @Test
  void translationIsDeterministic() {
    assertThat(EnvoyTranslator.translate(HandBuiltIr.allFeatures())).isEqualTo(groups);
  }
}
