package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import dev.meshgate.compiler.ir.CompressionIr;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.RouteIr;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.compression.brotli.compressor.v3.Brotli;
import io.envoyproxy.envoy.extensions.compression.gzip.compressor.v3.Gzip;
import io.envoyproxy.envoy.extensions.filters.http.compressor.v3.Compressor;
import io.envoyproxy.envoy.extensions.filters.http.compressor.v3.CompressorOverrides;
import io.envoyproxy.envoy.extensions.filters.http.compressor.v3.CompressorPerRoute;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * compression (issue 13; setting unit: {@code setting/Compressions}): Envoy's compressor filter
 * (slot {@link HttpFilters.Slot#COMPRESSOR}), one per algorithm of each distinct {@code compress}
 * setting of the gateway's routes. Every such filter sits in the chain disabled; a route that
 * compresses turns on the filters of its setting with their per-route config, so different hosts
 * and routes may compress different types, and {@code compress off} (or no {@code compress}) is
 * simply a route that turns nothing on. A filter's name carries its algorithm and a short digest of
 * its setting, so the same setting always gets the same name.
 *
 * <p>With several algorithms, the client's {@code accept-encoding} q-values decide; on a tie the
 * first algorithm written wins (Envoy's {@code choose_first}).
 */
final class Compression {
  static final String FILTER = "envoy.filters.http.compressor";

  private Compression() {}

  /** The distinct settings of the gateway's routes, in policy order. */
  private static List<CompressionIr> settings(GatewayIr gateway) {
    Set<CompressionIr> all = new LinkedHashSet<>();
    gateway.hosts().stream()
        .flatMap(h -> h.routes().stream())
        .forEach(r -> r.compression().ifPresent(all::add));
    return List.copyOf(all);
  }

  /** The filters, disabled until a route turns them on; none when no route compresses. */
  static List<HttpFilter> filters(GatewayIr gateway) {
    return settings(gateway).stream()
        .flatMap(c -> c.algorithms().stream().map(a -> filter(c, a)))
        .toList();
  }

  private static HttpFilter filter(CompressionIr c, String algorithm) {
    Compressor compressor =
        Compressor.newBuilder()
            .setResponseDirectionConfig(
                Compressor.ResponseDirectionConfig.newBuilder()
                    .setCommonConfig(
                        Compressor.CommonDirectionConfig.newBuilder()
                            .setMinContentLength(UInt32Value.of((int) c.minBytes()))
                            .addAllContentType(c.contentTypes())))
            .setCompressorLibrary(library(algorithm))
            .setChooseFirst(algorithm.equals(c.algorithms().getFirst()))
            .build();
    return HttpFilter.newBuilder()
        .setName(name(c, algorithm))
        .setTypedConfig(Any.pack(compressor))
        .setDisabled(true)
        .build();
  }

  private static TypedExtensionConfig library(String algorithm) {
    return switch (algorithm) {
      case "gzip" ->
          TypedExtensionConfig.newBuilder()
              .setName("envoy.compression.gzip.compressor")
              .setTypedConfig(Any.pack(Gzip.getDefaultInstance()))
              .build();
      case "brotli" ->
          TypedExtensionConfig.newBuilder()
              .setName("envoy.compression.brotli.compressor")
              .setTypedConfig(Any.pack(Brotli.getDefaultInstance()))
              .build();
      default -> throw new IllegalArgumentException("unchecked compression " + algorithm);
    };
  }

  /** Turns on, for this route, the filters of its setting. */
  static void apply(RouteIr route, Route.Builder envoy) {
    route
        .compression()
        .ifPresent(
            c -> {
              Any on =
                  Any.pack(
                      CompressorPerRoute.newBuilder()
                          .setOverrides(CompressorOverrides.getDefaultInstance())
                          .build());
              c.algorithms().forEach(a -> envoy.putTypedPerFilterConfig(name(c, a), on));
            });
  }

  /** {@code envoy.filters.http.compressor.gzip.1a2b3c4d}: algorithm and digest of the setting. */
  static String name(CompressionIr c, String algorithm) {
    String key = c.algorithms() + "|" + c.contentTypes() + "|" + c.minBytes();
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return FILTER + "." + algorithm + "." + HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
