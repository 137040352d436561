package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshgate.compiler.GatewaySecret;
import dev.meshgate.compiler.ir.ApiKeyIr;
import dev.meshgate.compiler.ir.BasicAuthIr;
import dev.meshgate.compiler.ir.CredentialSourceIr;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.RouteIr;
import dev.meshgate.compiler.ir.VirtualHostIr;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.basic_auth.v3.BasicAuth;
import io.envoyproxy.envoy.extensions.filters.http.basic_auth.v3.BasicAuthPerRoute;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * basic auth (issue 12): Envoy's {@code envoy.filters.http.basic_auth} (slot {@link
 * HttpFilters.Slot#BASIC_AUTH}), one filter per provider a route requires, named {@value
 * #FILTER_PREFIX}{@code <provider>}, disabled by default, forwarding the user's name in {@value
 * ApiKeyIr#CLIENT_HEADER} (Envoy overwrites a client-sent one). A route that requires the provider
 * turns it on with a per-route config, whose users replace the filter's, and drops the {@code
 * authorization} header before forwarding (the router applies that after the filter has read it),
 * so passwords never reach backends.
 *
 * <p>No user is here: the compiled users are a comment line (Envoy refuses an empty users source,
 * and a comment lets nobody in), and the compiled output names the users file ({@link
 * GatewaySecret.BasicAuthUsersFile}). The server puts the file's users into what it serves: every
 * user of the provider, or only those a route lists, which the route carries in its metadata
 * {@value #METADATA} ({@code users}).
 */
final class BasicAuths {
  static final String FILTER_PREFIX = "envoy.filters.http.basic_auth.";

  /** Route metadata naming the only users a route lets in (absent: every user of the provider). */
  static final String METADATA = "meshgate.basic_auth";

  private BasicAuths() {}

  static String filterName(String provider) {
    return FILTER_PREFIX + provider;
  }

  /** The users source before the server fills it in: a comment, which Envoy reads as no user. */
  static DataSource placeholder(String provider) {
    return DataSource.newBuilder()
        .setInlineString("# meshgate serve adds the users of basic-auth \"" + provider + "\"\n")
        .build();
  }

  /** The providers some route requires, sorted. */
  static Set<String> used(GatewayIr gateway) {
    return gateway.hosts().stream()
        .flatMap(h -> h.routes().stream())
        .flatMap(r -> r.basicAuth().map(BasicAuthIr::provider).stream())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  static List<HttpFilter> filters(GatewayIr gateway) {
    Set<String> used = used(gateway);
    return gateway.basicAuthProviders().stream()
        .filter(p -> used.contains(p.name()))
        .map(p ->
            HttpFilter.newBuilder()
                .setName(filterName(p.name()))
                .setTypedConfig(
                    Any.pack(
                        BasicAuth.newBuilder()
                            .setUsers(placeholder(p.name()))
                            .setForwardUsernameHeader(ApiKeyIr.CLIENT_HEADER)
                            .build()))
                .setDisabled(true)
                .build())
        .toList();
  }

  /** Turns the filters on for the routes that require a user. */
  static void apply(GatewayIr gateway, RouteConfiguration.Builder config) {
    if (used(gateway).isEmpty()) {
      return;
    }
    Map<String, RouteIr> byName = new HashMap<>();
    for (VirtualHostIr host : gateway.hosts()) {
      host.routes().forEach(r -> byName.put(r.name(), r));
    }
    for (VirtualHost.Builder host : config.getVirtualHostsBuilderList()) {
      for (Route.Builder route : host.getRoutesBuilderList()) {
        RouteIr ir = byName.get(route.getName());
        if (ir == null || ir.basicAuth().isEmpty()) {
          continue;
        }
        BasicAuthIr basicAuth = ir.basicAuth().get();
        route.putTypedPerFilterConfig(
            filterName(basicAuth.provider()),
            Any.pack(
                BasicAuthPerRoute.newBuilder()
                    .setUsers(placeholder(basicAuth.provider()))
                    .build()));
        route.addRequestHeadersToRemove("authorization");
        if (!basicAuth.users().isEmpty()) {
          ListValue.Builder users = ListValue.newBuilder();
          basicAuth.users().forEach(u -> users.addValues(Value.newBuilder().setStringValue(u)));
          route.setMetadata(
              Metadata.newBuilder()
                  .putFilterMetadata(
                      METADATA,
                      Struct.newBuilder()
                          .putFields("users", Value.newBuilder().setListValue(users).build())
                          .build()));
        }
      }
    }
  }

  /** Where the server reads each used provider's users. */
  static List<GatewaySecret> secrets(GatewayIr gateway) {
    Set<String> used = used(gateway);
    return gateway.basicAuthProviders().stream()
        .filter(p -> used.contains(p.name()))
        .<GatewaySecret>map(p ->
            switch (p.users()) {
              case CredentialSourceIr.File f ->
                  new GatewaySecret.BasicAuthUsersFile(p.name(), f.path());
              case CredentialSourceIr.KubernetesSecret k ->
                  new GatewaySecret.BasicAuthUsersKubernetesSecret(
                      p.name(), k.namespace(), k.name());
            })
        .toList();
  }
}
