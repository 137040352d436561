package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.setting.Sizes;
import java.util.EnumMap;
import java.util.Map;

/**
 * request limits (issue 13): a gateway's {@code max-request-headers}, {@code idle-timeout} and
 * {@code stream-idle-timeout}, each at most once, in Envoy's ranges.
 */
final class LimitChecks {
  /** Envoy's {@code max_request_headers_kb} takes 1 to 8192 (KiB). */
  static final long MAX_HEADERS_KB = 8192;

  private final CheckContext cx;
  private final Values values;

  LimitChecks(CheckContext cx, Values values) {
    this.cx = cx;
    this.values = values;
  }

  void gateway(GatewayDecl gateway) {
    Map<GatewayStmt.Limit.Kind, GatewayStmt.Limit> seen =
        new EnumMap<>(GatewayStmt.Limit.Kind.class);
    for (GatewayStmt stmt : gateway.body()) {
      if (!(stmt instanceof GatewayStmt.Limit limit)) {
        continue;
      }
      GatewayStmt.Limit before = seen.putIfAbsent(limit.kind(), limit);
      if (before != null) {
        cx.error(
            DUPLICATE_LIMIT,
            limit.span(),
            "`"
                + limit.kind().keyword()
                + "` is already set for gateway \""
                + gateway.name().text()
                + "\" at "
                + cx.at(before.span())
                + "; write it once");
        continue;
      }
      limit
          .size()
          .ifPresent(
              size -> {
                var bytes =
                    Sizes.check(
                        size,
                        limit.kind().keyword(),
                        1024,
                        MAX_HEADERS_KB * 1024,
                        (code, at, message) -> cx.error(code, at.span(), message));
                if (bytes.isPresent() && bytes.get() % 1024 != 0) {
                  cx.error(
                      SIZE_OUT_OF_RANGE,
                      size.span(),
                      "max-request-headers "
                          + size.text()
                          + " is not a whole number of kilobytes (Envoy counts them in KiB); write it like"
                          + " 60kb");
                }
              });
      limit.duration().filter(d -> !d.text().equals("none")).ifPresent(values::duration);
    }
  }
}
