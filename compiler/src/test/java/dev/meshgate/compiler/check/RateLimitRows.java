package dev.meshgate.compiler.check;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Pinned diagnostics of local rate limits (issue 13). */
final class RateLimitRows {
  private RateLimitRows() {}

  static final String SERVICE =
      """
      service catalog { source static 127.0.0.1:9101 }
      """;

  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of(
            "MG450",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  host "a" { route /a { to catalog  rate-limit 0 per 1s } }
                }
                """,
            """
            t.mesh:4:48: error[MG450]: a rate limit of 0 requests lets nothing through; write at least 1, like `rate-limit 100 per 1m` (to refuse every request, use `respond 429`)
             4 |   host "a" { route /a { to catalog  rate-limit 0 per 1s } }
               |                                                ^\
            """),
        Arguments.of(
            "MG451",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  rate-limit 10 per 20ms
                  host "a" { route /a { to catalog } }
                }
                """,
            """
            t.mesh:4:21: error[MG451]: Envoy refills a token bucket at most every 50ms, found per 20ms; write the same rate over a longer interval, like `per 1s`
             4 |   rate-limit 10 per 20ms
               |                     ^^^^\
            """),
        Arguments.of(
            "MG452",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  host "a" {
                    rate-limit 100 per 1s burst 50
                    route /a { to catalog }
                  }
                }
                """,
            """
            t.mesh:5:33: error[MG452]: a burst of 50 is below the rate of 100: the bucket holds at most the burst, so only 50 requests could pass per interval; make the burst at least 100, or lower the rate
             5 |     rate-limit 100 per 1s burst 50
               |                                 ^^\
            """),
        Arguments.of(
            "MG453",
            """
            mesh { authz default allow }
            service catalog { source static 127.0.0.1:15101  sidecar { inbound :15101 app 127.0.0.1:9101 } }
            service orders { source static 127.0.0.1:15102  sidecar { inbound :15102 app 127.0.0.1:9102 } }
            call orders -> catalog { rate-limit 5 per 1s by jwt claim "sub" }
            """,
            """
            t.mesh:4:46: error[MG453]: a mesh call carries no verified JWT, so `by jwt claim` has no value to keep buckets by; use `by header "…"` or no key
             4 | call orders -> catalog { rate-limit 5 per 1s by jwt claim "sub" }
               |                                              ^^^^^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG454",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  host "a" { route /a { to catalog  rate-limit 5 per 1s by jwt claim "sub" } }
                }
                """,
            """
            t.mesh:4:57: error[MG454]: gateway "edge" has no jwt-provider, so no request carries a verified claim "sub" to keep buckets by; declare a `jwt-provider` and `require jwt` it, or key the limit `by header "…"` or `by client-ip`
             4 |   host "a" { route /a { to catalog  rate-limit 5 per 1s by jwt claim "sub" } }
               |                                                         ^^^^^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG455",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  jwt-provider "auth" { issuer "https://auth.example/" jwks "https://auth.example/jwks.json" }
                  host "a" {
                    rate-limit 5 per 1s by jwt claim "sub"
                    route /me/** { require jwt "auth"  to catalog }
                    route /open/** { to catalog }
                  }
                }
                """,
            """
            t.mesh:6:25: warning[MG455]: route `/open/**` at line 8 requires no JWT, so its requests carry no verified claim "sub" and all share one bucket; add `require jwt "…"` there, or key the limit another way
             6 |     rate-limit 5 per 1s by jwt claim "sub"
               |                         ^^^^^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG456",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  api-keys "partners" { keys file "/etc/meshgate/partners.keys"  from header "x-api-key" }
                  host "a" {
                    rate-limit 5 per 1s by header "x-meshgate-client"
                    route /partners/** { require api-key "partners"  to catalog }
                    route /open/** { to catalog }
                  }
                }
                """,
            """
            t.mesh:6:25: warning[MG456]: route `/open/**` at line 8 authenticates no client, so Meshgate removes "x-meshgate-client" there and all its requests share one bucket; add `require api-key "…"` or `require basic-auth "…"` there, or key the limit another way
             6 |     rate-limit 5 per 1s by header "x-meshgate-client"
               |                         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """));
  }
}
