package dev.meshgate.compiler.translate;

import dev.meshgate.compiler.ir.ApiKeyIr;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.RouteIr;
import dev.meshgate.compiler.ir.VirtualHostIr;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.HashMap;
import java.util.Map;

/**
 * api keys and basic auth (issue 12): {@value ApiKeyIr#CLIENT_HEADER} names the authenticated
 * client, set by Envoy on the routes that require a key ({@link ApiKeys}) or a user ({@link
 * BasicAuths}). On every other route of a gateway that authenticates clients, a client-sent one is
 * removed, so nobody can claim a name without a credential.
 */
final class ClientHeader {
  private ClientHeader() {}

  static void stripUnauthenticated(GatewayIr gateway, RouteConfiguration.Builder config) {
    if (ApiKeys.used(gateway).isEmpty() && BasicAuths.used(gateway).isEmpty()) {
      return;
    }
    Map<String, RouteIr> byName = new HashMap<>();
    for (VirtualHostIr host : gateway.hosts()) {
      host.routes().forEach(r -> byName.put(r.name(), r));
    }
    for (VirtualHost.Builder host : config.getVirtualHostsBuilderList()) {
      for (Route.Builder route : host.getRoutesBuilderList()) {
        RouteIr ir = byName.get(route.getName());
        if (ir == null || (!ir.requiresApiKey() && !ir.requiresBasicAuth())) {
          route.addRequestHeadersToRemove(ApiKeyIr.CLIENT_HEADER);
        }
      }
    }
  }
}
