package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.GrpcIr;
import dev.meshgate.compiler.ir.RouteIr;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.grpc_json_transcoder.v3.GrpcJsonTranscoder;
import io.envoyproxy.envoy.extensions.filters.http.grpc_web.v3.GrpcWeb;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * gRPC at the gateway (issue 13; setting units: {@code setting/GrpcJsonTranscoders}, {@code
 * setting/GrpcWebs}): Envoy's gRPC-JSON transcoder and gRPC-Web filters.
 *
 * <p>Both sit in the chain enabled, and every route that does not ask for one turns it off with
 * {@code FilterConfig{disabled: true}} in its {@code typed_per_filter_config}. The other way round
 * (disabled in the chain, turned on per route) is what other filters here do, but Envoy refuses to
 * turn a filter on with an empty {@code FilterConfig} ("Empty route/virtual host per filter
 * configuration"): the gRPC-Web filter has no per-route config at all, and the transcoder's would
 * repeat the whole descriptor set in every route that uses it. The transcoder is one filter per
 * distinct {@code grpc-json} setting (descriptor, services, options), its name carrying a digest of
 * the setting, so the descriptor set travels once per listener. A request that matches no route
 * meets the filters on: the router answers it 404 whatever they did.
 *
 * <p>Fixed choices, the same for every route: methods without a {@code google.api.http} annotation
 * are reached as {@code POST /package.Service/Method} ({@code auto_mapping}); the route that
 * matched the request as the client sent it is the one that forwards it ({@code
 * match_incoming_request_route}: the policy's routing is what the user reads, and what {@code
 * meshgate test} simulates); a gRPC error becomes its HTTP status with a {@code google.rpc.Status}
 * JSON body ({@code convert_grpc_status}); a JSON request for a method the services lack is
 * answered 404 by Envoy ({@code reject_unknown_method}) rather than sent as JSON to a gRPC server,
 * which cannot answer it. Native gRPC requests on the same route pass through untouched.
 */
final class GrpcTranscoding {
  static final String TRANSCODER = "envoy.filters.http.grpc_json_transcoder";
  static final String WEB = "envoy.filters.http.grpc_web";

  private GrpcTranscoding() {}

  private static List<GrpcIr.JsonIr> settings(GatewayIr gateway) {
    Set<GrpcIr.JsonIr> all = new LinkedHashSet<>();
    gateway.hosts().stream()
        .flatMap(h -> h.routes().stream())
        .forEach(r -> r.grpc().json().ifPresent(all::add));
    return List.copyOf(all);
  }

  /** The transcoders, on until a route turns one off; none when no route transcodes. */
  static List<HttpFilter> transcoders(GatewayIr gateway) {
    return settings(gateway).stream().map(GrpcTranscoding::transcoder).toList();
  }

  private static HttpFilter transcoder(GrpcIr.JsonIr json) {
    GrpcJsonTranscoder config =
        GrpcJsonTranscoder.newBuilder()
            .setProtoDescriptorBin(json.descriptor())
            .addAllServices(json.services())
            .setPrintOptions(
                GrpcJsonTranscoder.PrintOptions.newBuilder()
                    .setAlwaysPrintPrimitiveFields(
                        json.has(GrpcIr.Option.ALWAYS_PRINT_PRIMITIVE_FIELDS))
                    .setAlwaysPrintEnumsAsInts(json.has(GrpcIr.Option.ALWAYS_PRINT_ENUMS_AS_INTS))
                    .setPreserveProtoFieldNames(json.has(GrpcIr.Option.PRESERVE_PROTO_FIELD_NAMES)))
            .setIgnoreUnknownQueryParameters(
                json.has(GrpcIr.Option.IGNORE_UNKNOWN_QUERY_PARAMETERS))
            .setAutoMapping(true)
            .setMatchIncomingRequestRoute(true)
            .setConvertGrpcStatus(true)
            .setRequestValidationOptions(
                GrpcJsonTranscoder.RequestValidationOptions.newBuilder()
                    .setRejectUnknownMethod(true))
            .build();
    return HttpFilter.newBuilder().setName(name(json)).setTypedConfig(Any.pack(config)).build();
  }

  /** The gRPC-Web filter, on until a route turns it off; none when no route asks. */
  static List<HttpFilter> web(GatewayIr gateway) {
    boolean used =
        gateway.hosts().stream().flatMap(h -> h.routes().stream()).anyMatch(r -> r.grpc().web());
    if (!used) {
      return List.of();
    }
    return List.of(
        HttpFilter.newBuilder()
            .setName(WEB)
            .setTypedConfig(Any.pack(GrpcWeb.getDefaultInstance()))
            .build());
  }

  /** Turns off, in every route of the gateway, the gRPC filters the route does not ask for. */
  static void apply(GatewayIr gateway, RouteConfiguration.Builder config) {
    List<String> all = new ArrayList<>();
    settings(gateway).forEach(j -> all.add(name(j)));
    all.addAll(web(gateway).stream().map(HttpFilter::getName).toList());
    if (all.isEmpty()) {
      return;
    }
    Map<String, RouteIr> byName = new HashMap<>();
    gateway.hosts().forEach(h -> h.routes().forEach(r -> byName.put(r.name(), r)));
    Any off = Any.pack(FilterConfig.newBuilder().setDisabled(true).build());
    for (VirtualHost.Builder host : config.getVirtualHostsBuilderList()) {
      for (Route.Builder route : host.getRoutesBuilderList()) {
        Set<String> on = new HashSet<>();
        RouteIr ir = byName.get(route.getName());
        if (ir != null) {
          ir.grpc().json().ifPresent(j -> on.add(name(j)));
          if (ir.grpc().web()) {
            on.add(WEB);
          }
        }
        all.stream()
            .filter(f -> !on.contains(f))
            .forEach(f -> route.putTypedPerFilterConfig(f, off));
      }
    }
  }

  /** {@code envoy.filters.http.grpc_json_transcoder.1a2b3c4d}: a digest of the setting. */
  static String name(GrpcIr.JsonIr json) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(json.descriptor().toByteArray());
      sha.update((json.services() + "|" + json.options()).getBytes(StandardCharsets.UTF_8));
      return TRANSCODER + "." + HexFormat.of().formatHex(sha.digest(), 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
