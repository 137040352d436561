package dev.meshgate.compiler.check;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The pinned texts of the cluster-setting diagnostics (issue 14: circuit breakers, outlier
 * detection, health checks), one row per code and message variant; run by {@link DiagnosticsTest}.
 */
final class ClusterSettingRows {
  private ClusterSettingRows() {}

  static Stream<Arguments> rows() {
    return Stream.of(
        row(
            "MG370",
            """
            service catalog {
              source static 127.0.0.1:9101
              circuit-breaker { max-conections 100 }
            }
            """,
            """
            t.mesh:3:21: error[MG370]: circuit-breaker has no field "max-conections"; did you mean "max-connections"?
             3 |   circuit-breaker { max-conections 100 }
               |                     ^^^^^^^^^^^^^^\
            """),
        row(
            "MG371",
            """
            service catalog {
              source static 127.0.0.1:9101
              outlier-detection { base-ejection 30 }
            }
            """,
            """
            t.mesh:3:37: error[MG371]: outlier-detection base-ejection takes a duration, like 10s, not 30
             3 |   outlier-detection { base-ejection 30 }
               |                                     ^^\
            """),
        row(
            "MG372",
            """
            service catalog {
              source static 127.0.0.1:9101
              circuit-breaker { max-pending 10 max-pending 20 }
            }
            """,
            """
            t.mesh:3:36: error[MG372]: max-pending is written twice in this circuit-breaker; the first is at line 3
             3 |   circuit-breaker { max-pending 10 max-pending 20 }
               |                                    ^^^^^^^^^^^\
            """),
        row(
            "MG373",
            """
            service catalog {
              source static 127.0.0.1:9101
              circuit-breaker { max-connections 0 }
            }
            """,
            """
            t.mesh:3:37: error[MG373]: max-connections 0 is out of range; it takes 1 to 4294967295
             3 |   circuit-breaker { max-connections 0 }
               |                                     ^\
            """),
        row(
            "MG373",
            """
            service catalog {
              source static 127.0.0.1:9101
              outlier-detection { max-ejected 120% }
            }
            """,
            """
            t.mesh:3:35: error[MG373]: max-ejected 120% is out of range; it takes 1% to 100%
             3 |   outlier-detection { max-ejected 120% }
               |                                   ^^^^\
            """),
        row(
            "MG373",
            """
            service catalog {
              source static 127.0.0.1:9101
              panic-threshold 101%
            }
            """,
            """
            t.mesh:3:19: error[MG373]: panic-threshold 101% is out of range; it takes 0% (never panic) to 100%
             3 |   panic-threshold 101%
               |                   ^^^^\
            """),
        row(
            "MG374",
            """
            service catalog {
              source static 127.0.0.1:9101
              health-check ping
            }
            """,
            """
            t.mesh:3:16: error[MG374]: unknown health check "ping"; use http "/path", tcp or grpc ["service"]
             3 |   health-check ping
               |                ^^^^\
            """),
        row(
            "MG375",
            """
            service db {
              source static 127.0.0.1:5432
              protocol tcp
              health-check http "/healthz"
            }
            """,
            """
            t.mesh:4:16: error[MG375]: service "db" speaks tcp, so an http health check cannot ask it; use `health-check tcp`
             4 |   health-check http "/healthz"
               |                ^^^^\
            """),
        row(
            "MG375",
            """
            service catalog {
              source static 127.0.0.1:9101
              health-check grpc
            }
            """,
            """
            t.mesh:3:16: error[MG375]: service "catalog" speaks http, so a grpc health check cannot ask it; use `health-check http "/path"` or `health-check tcp`
             3 |   health-check grpc
               |                ^^^^\
            """),
        row(
            "MG376",
            """
            service catalog {
              source static 127.0.0.1:9101
              health-check http "/healthz" { interval 1s timeout 2s }
            }
            """,
            """
            t.mesh:3:46: error[MG376]: the health check's timeout 2s is not shorter than its interval 1s; a check must end before the next one starts, so shorten the timeout
             3 |   health-check http "/healthz" { interval 1s timeout 2s }
               |                                              ^^^^^^^^^^\
            """),
        row(
            "MG377",
            """
            service catalog {
              source static 127.0.0.1:9101
              health-check http
            }
            """,
            """
            t.mesh:3:16: error[MG377]: an http health check needs the path to ask, starting with /, like `health-check http "/healthz"`
             3 |   health-check http
               |                ^^^^\
            """),
        row(
            "MG377",
            """
            service catalog {
              source static 127.0.0.1:9101
              health-check tcp "/healthz"
            }
            """,
            """
            t.mesh:3:20: error[MG377]: a tcp health check only opens a connection and takes no path or name; remove "/healthz"
             3 |   health-check tcp "/healthz"
               |                    ^^^^^^^^^^\
            """),
        row(
            "MG378",
            """
            service catalog {
              source static 127.0.0.1:9101
              circuit-breaker { min-retries 5 }
            }
            """,
            """
            t.mesh:3:21: error[MG378]: min-retries is the floor of a retry budget and means nothing without one; add `retry-budget 20%` or remove min-retries
             3 |   circuit-breaker { min-retries 5 }
               |                     ^^^^^^^^^^^\
            """),
        row(
            "MG379",
            """
            service catalog {
              source static 127.0.0.1:9101
              circuit-breaker { retry-budget 20% max-retries 3 }
            }
            """,
            """
            t.mesh:3:38: warning[MG379]: max-retries is ignored: with retry-budget, Envoy limits retries in flight by the budget alone; remove one of them
             3 |   circuit-breaker { retry-budget 20% max-retries 3 }
               |                                      ^^^^^^^^^^^\
            """),
        row(
            "MG380",
            """
            service catalog {
              source static 127.0.0.1:9101 labels version=v2
              subset v2 where version = "v2" {
                circuit-breaker { max-requests 10 }
                circuit-breaker { max-requests 20 }
              }
            }
            """,
            """
            t.mesh:5:5: error[MG380]: subset "v2" of service "catalog" has more than one `circuit-breaker`; the first is at line 4
             5 |     circuit-breaker { max-requests 20 }
               |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG380",
            DiagnosticsTest.MESH
                + """
                allow orders -> catalog
                call orders -> catalog {
                  outlier-detection { consecutive-5xx 3 }
                  outlier-detection { consecutive-5xx 4 }
                }
                """,
            """
            t.mesh:12:3: error[MG380]: call orders -> catalog has more than one `outlier-detection`; the first is at line 11
             12 |   outlier-detection { consecutive-5xx 4 }
                |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG381",
            """
            service catalog {
              source static 127.0.0.1:9101 labels version=v2
              slow-start 30s
              subset v2 where version = "v2" { load-balancer maglev }
            }
            """,
            """
            t.mesh:4:36: error[MG381]: subset "v2" of service "catalog" balances with load-balancer maglev, which Envoy cannot ramp up, but it takes the slow-start of service "catalog" (line 3); use round-robin or least-request here, or move the slow-start into the subsets and calls that balance with them
             4 |   subset v2 where version = "v2" { load-balancer maglev }
               |                                    ^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG382",
            """
            service catalog {
              source static 127.0.0.1:9101 labels version=v2
              subset v2 where version = "v2"
            }
            gateway edge {
              listen :8080
              host "*" {
                route /v2/** { to catalog.v2  circuit-breaker { max-requests 10 } }
              }
            }
            """,
            """
            t.mesh:8:35: error[MG382]: `circuit-breaker` cannot be written on a route: the gateway has one cluster per service or subset, shared by every route to it; write it on `service catalog` (every caller), or on a subset and route there (`subset v2 where … { circuit-breaker … }`, `to catalog.v2`)
             8 |     route /v2/** { to catalog.v2  circuit-breaker { max-requests 10 } }
               |                                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG382",
            """
            service catalog {
              source static 127.0.0.1:9101
            }
            gateway edge {
              listen :8080
              host "*" {
                outlier-detection { consecutive-5xx 3 }
                route /** { to catalog }
              }
            }
            """,
            """
            t.mesh:7:5: error[MG382]: `outlier-detection` cannot be written on a host: the gateway has one cluster per service or subset, shared by every route to it; write it on the service (every caller), or on a subset and route there (`subset NAME where … { outlier-detection … }`, `to SERVICE.NAME`)
             7 |     outlier-detection { consecutive-5xx 3 }
               |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """));
  }

  private static Arguments row(String code, String source, String rendered) {
    return Arguments.of(code, source, rendered);
  }
}
