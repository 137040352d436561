package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.GrpcIr;
import dev.meshgate.compiler.ir.RouteIr;
import io.envoyproxy.envoy.config.route.v3.FilterConfig;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.http.grpc_json_transcoder.v3.GrpcJsonTranscoder;
import io.envoyproxy.envoy.extensions.filters.http.grpc_web.v3.GrpcWeb;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * gRPC at the gateway (issue 13; setting units: {@code setting/GrpcJsonTranscoders}, {@code
 * setting/GrpcWebs}): Envoy's gRPC-JSON transcoder and gRPC-Web filters.
 *
 * <p>Both sit in the chain disabled, and a route that asks for one turns it on with an empty {@link
 * FilterConfig} in its {@code typed_per_filter_config}. The transcoder is one filter per distinct
 * {@code grpc-json} setting (descriptor, services, options), its name carrying a digest of the
 * setting: the descriptor set travels once per listener, not once per route that uses it, and a
 * route that says nothing is never transcoded (the filter's own per-route override would repeat the
 * whole descriptor in every such route instead).
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

  /** The transcoders, disabled until a route turns one on; none when no route transcodes. */
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
    return HttpFilter.newBuilder()
        .setName(name(json))
        .setTypedConfig(Any.pack(config))
        .setDisabled(true)
        .build();
  }

  /** The gRPC-Web filter, disabled until a route turns it on; none when no route asks. */
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
            .setDisabled(true)
            .build());
  }

  /** Turns on, for this route, the filters it asks for. */
  static void apply(RouteIr route, Route.Builder envoy) {
    Any on = Any.pack(FilterConfig.getDefaultInstance());
    route.grpc().json().ifPresent(j -> envoy.putTypedPerFilterConfig(name(j), on));
    if (route.grpc().web()) {
      envoy.putTypedPerFilterConfig(WEB, on);
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
