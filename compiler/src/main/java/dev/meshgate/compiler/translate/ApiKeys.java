package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.meshgate.compiler.GatewaySecret;
import dev.meshgate.compiler.ir.ApiKeyIr;
import dev.meshgate.compiler.ir.CredentialSourceIr;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.RouteIr;
import dev.meshgate.compiler.ir.VirtualHostIr;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.api_key_auth.v3.ApiKeyAuth;
import io.envoyproxy.envoy.extensions.filters.http.api_key_auth.v3.ApiKeyAuthPerRoute;
import io.envoyproxy.envoy.extensions.filters.http.api_key_auth.v3.KeySource;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * api keys (issue 12): Envoy's {@code envoy.filters.http.api_key_auth} (slot {@link
 * HttpFilters.Slot#API_KEY}), one filter per provider a route requires, named {@value
 * #FILTER_PREFIX}{@code <provider>}, disabled by default: the filter holds where keys are read from
 * and that the client's name goes to {@value ApiKeyIr#CLIENT_HEADER} (and the key itself is taken
 * off the request); a route that requires the provider turns it on with a per-route config holding
 * its {@code allowed_clients}. The keys are not here: the compiled output names the keys file
 * ({@link GatewaySecret.ApiKeysFile}) and the server puts the credentials into the per-route
 * configs of what it serves, so a new key is an RDS update. On every other route of the gateway the
 * client-name header is removed, so a client cannot claim a name by sending it.
 */
final class ApiKeys {
  static final String FILTER_PREFIX = "envoy.filters.http.api_key_auth.";

  /**
   * Field numbers of {@code Forwarding} (Envoy ≥ 1.35: {@code ApiKeyAuth.forwarding = 3}, {@code
   * Forwarding.header = 1}, {@code hide_credentials = 2}), which java-control-plane 1.0.49's
   * classes predate: written as unknown fields, which protobuf keeps on the wire. JSON output
   * (compile, goldens) does not show them; {@code ApiKeysTest} pins the bytes and {@code
   * ApiKeyAuthIT} what Envoy does with them.
   */
  static final int FORWARDING = 3;

  /**
   * {@code ApiKeyAuthPerRoute.forwarding = 4}: written on each route too, because Envoy 1.40 lets a
   * per-route config replace the filter's forwarding even when it sets none (seen in ApiKeyAuthIT:
   * the client header was missing with the filter-level field alone).
   */
  static final int PER_ROUTE_FORWARDING = 4;

  private ApiKeys() {}

  static String filterName(String provider) {
    return FILTER_PREFIX + provider;
  }

  /** The providers some route requires, sorted. */
  static Set<String> used(GatewayIr gateway) {
    return gateway.hosts().stream()
        .flatMap(h -> h.routes().stream())
        .flatMap(r -> r.apiKey().flatMap(ApiKeyIr::provider).stream())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  static List<HttpFilter> filters(GatewayIr gateway) {
    Set<String> used = used(gateway);
    return gateway.apiKeyProviders().stream()
        .filter(p -> used.contains(p.name()))
        .map(ApiKeys::filter)
        .toList();
  }

  private static HttpFilter filter(ApiKeyIr.ProviderIr provider) {
    ApiKeyAuth.Builder config = ApiKeyAuth.newBuilder();
    for (ApiKeyIr.KeySourceIr from : provider.from()) {
      config.addKeySources(
          switch (from.kind()) {
            case HEADER -> KeySource.newBuilder().setHeader(from.name());
            case QUERY -> KeySource.newBuilder().setQuery(from.name());
            case COOKIE -> KeySource.newBuilder().setCookie(from.name());
          });
    }
    config.setUnknownFields(forwarding(FORWARDING));
    return HttpFilter.newBuilder()
        .setName(filterName(provider.name()))
        .setTypedConfig(Any.pack(config.build()))
        .setDisabled(true)
        .build();
  }

  /** {@code forwarding { header: "x-meshgate-client" hide_credentials: true }}, as raw fields. */
  static UnknownFieldSet forwarding(int field) {
    UnknownFieldSet forwarding =
        UnknownFieldSet.newBuilder()
            .addField(
                1,
                UnknownFieldSet.Field.newBuilder()
                    .addLengthDelimited(ByteString.copyFromUtf8(ApiKeyIr.CLIENT_HEADER))
                    .build())
            .addField(2, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
            .build();
    return UnknownFieldSet.newBuilder()
        .addField(
            field,
            UnknownFieldSet.Field.newBuilder()
                .addLengthDelimited(forwarding.toByteString())
                .build())
        .build();
  }

  /** Turns the filters on for the routes that require a key ({@link ClientHeader}: the others). */
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
        if (ir != null && ir.requiresApiKey()) {
          ApiKeyIr apiKey = ir.apiKey().orElseThrow();
          route.putTypedPerFilterConfig(
              filterName(apiKey.provider().orElseThrow()),
              Any.pack(
                  ApiKeyAuthPerRoute.newBuilder()
                      .addAllAllowedClients(apiKey.clients())
                      .setUnknownFields(forwarding(PER_ROUTE_FORWARDING))
                      .build()));
        }
      }
    }
  }

  /** Where the server reads each used provider's keys. */
  static List<GatewaySecret> secrets(GatewayIr gateway) {
    Set<String> used = used(gateway);
    return gateway.apiKeyProviders().stream()
        .filter(p -> used.contains(p.name()))
        .<GatewaySecret>map(p ->
            switch (p.keys()) {
              case CredentialSourceIr.File f -> new GatewaySecret.ApiKeysFile(p.name(), f.path());
              case CredentialSourceIr.KubernetesSecret k ->
                  new GatewaySecret.ApiKeysKubernetesSecret(p.name(), k.namespace(), k.name());
            })
        .toList();
  }
}
