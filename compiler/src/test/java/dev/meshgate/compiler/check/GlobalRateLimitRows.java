package dev.meshgate.compiler.check;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Pinned diagnostics of global rate limits (issue 13). */
final class GlobalRateLimitRows {
  private GlobalRateLimitRows() {}

  static final String SERVICE =
      """
      service catalog { source static 127.0.0.1:9101 }
      """;

  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of(
            "MG440",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  host "a" { route /a { to catalog  rate-limit 5 per 1m global } }
                }
                """,
            """
            t.mesh:4:57: error[MG440]: gateway "edge" names no rate-limit service to count this `global` limit; add `rate-limit service "HOST:PORT"` (Envoy's ratelimit, gRPC) to the gateway, or drop `global` for a limit each Envoy keeps on its own
             4 |   host "a" { route /a { to catalog  rate-limit 5 per 1m global } }
               |                                                         ^^^^^^\
            """),
        Arguments.of(
            "MG441",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  rate-limit service "127.0.0.1:8081"
                  rate-limit 50 per 30s global
                  host "a" { route /a { to catalog } }
                }
                """,
            """
            t.mesh:5:21: error[MG441]: the rate-limit service counts per second, minute, hour or day (also 7d, 30d, 365d), so it cannot count per 30s; write the rate per one of those, like `50 per 1m`, or drop `global` for a local limit
             5 |   rate-limit 50 per 30s global
               |                     ^^^\
            """),
        Arguments.of(
            "MG442",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  rate-limit service "127.0.0.1:8081"
                  rate-limit 10 per 1s burst 20 global
                  host "a" { route /a { to catalog } }
                }
                """,
            """
            t.mesh:5:30: error[MG442]: a `global` limit has no burst: the rate-limit service lets through up to the rate in each fixed window and none more; drop `burst 20` (or drop `global` for a local token bucket)
             5 |   rate-limit 10 per 1s burst 20 global
               |                              ^^\
            """),
        Arguments.of(
            "MG443",
            """
            service catalog {
              source static 127.0.0.1:15101
              sidecar { inbound :15101  app 127.0.0.1:9101 }
            }
            service orders {
              source static 127.0.0.1:15102
              sidecar { inbound :15102  app 127.0.0.1:9102 }
            }
            mesh { authz default allow }
            call orders -> catalog { rate-limit 5 per 1s global }
            """,
            """
            t.mesh:10:46: error[MG443]: a `global` limit is counted by the rate-limit service of a gateway, and a call's limit runs in the caller's sidecars, which ask none; drop `global` (each sidecar then limits on its own) or limit the route at the gateway
             10 | call orders -> catalog { rate-limit 5 per 1s global }
                |                                              ^^^^^^\
            """),
        Arguments.of(
            "MG444",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  rate-limit service "grpc://ratelimit:8081"
                  rate-limit 5 per 1m global
                  host "a" { route /a { to catalog } }
                }
                """,
            """
            t.mesh:4:22: error[MG444]: rate-limit service "grpc://ratelimit:8081" is not HOST:PORT; write the gRPC address of Envoy's ratelimit service like "127.0.0.1:8081" or "ratelimit.internal:8081" (no scheme, no path)
             4 |   rate-limit service "grpc://ratelimit:8081"
               |                      ^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG445",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  rate-limit service "127.0.0.1:8081"
                  rate-limit service "127.0.0.1:8082"
                  rate-limit 5 per 1m global
                  host "a" { route /a { to catalog } }
                }
                """,
            """
            t.mesh:5:3: error[MG445]: gateway "edge" already names its rate-limit service at line 4; a gateway asks one service, keep one `rate-limit service`
             5 |   rate-limit service "127.0.0.1:8082"
               |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG446",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  rate-limit service "127.0.0.1:8081" timeout 0s
                  rate-limit 5 per 1m global
                  host "a" { route /a { to catalog } }
                }
                """,
            """
            t.mesh:4:47: error[MG446]: a timeout of 0s leaves the rate-limit service no time to answer, so every request would fail open (or closed); write at least 1ms, like `timeout 100ms`
             4 |   rate-limit service "127.0.0.1:8081" timeout 0s
               |                                               ^^\
            """),
        Arguments.of(
            "MG447",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  rate-limit service "127.0.0.1:8081" fail-closed
                  host "a" { route /a { to catalog } }
                }
                """,
            """
            t.mesh:4:3: warning[MG447]: gateway "edge" has no `global` rate limit, so its Envoys never ask this rate-limit service; add `global` to a `rate-limit`, or remove the `rate-limit service`
             4 |   rate-limit service "127.0.0.1:8081" fail-closed
               |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """));
  }
}
