package dev.meshgate.compiler.check;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The pinned texts of the timeout, retry and fault diagnostics (issues 11 and 14), one row per code
 * and message variant; run by {@link DiagnosticsTest}.
 */
final class ResilienceDiagnostics {
  private ResilienceDiagnostics() {}

  static Stream<Arguments> rows() {
    return Stream.of(
        row(
            "MG340",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              host "*" {
                route POST /a {
                  to catalog
                  retry 2
                }
              }
            }
            """,
            """
            t.mesh:7:7: warning[MG340]: this route takes POST, which may not be safe to repeat, and retries on 5xx, reset after the backend may have acted; add `idempotent` to the retry if repeating is safe, or retry only on connect-failure, refused-stream or reset-before-request
             7 |       retry 2
               |       ^^^^^^^\
            """),
        row(
            "MG390",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              retry 2 on 5xx
              host "*" {
                route GET /a { to catalog }
                route POST /b { to catalog }
                route POST /c {
                  to catalog
                  retry 1 on connect-failure
                }
              }
              host "api.example" {
                retry 3 on connect-failure
                route PATCH /d { to catalog }
              }
            }
            """,
            """
            t.mesh:7:11: warning[MG390]: this route takes POST, which may not be safe to repeat, and inherits the gateway's retry at line 4, which retries on 5xx after the backend may have acted; give this route its own retry (`retry 1 on connect-failure`, or one that says `idempotent` if repeating is safe)
             7 |     route POST /b { to catalog }
               |           ^^^^\
            """),
        row(
            "MG341",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              host "*" {
                route /a {
                  to catalog
                  retry 2 backoff 1s max 100ms
                }
              }
            }
            """,
            """
            t.mesh:7:30: error[MG341]: the backoff's max 100ms is shorter than its base 1s; the wait doubles from the base up to the max, so raise max or lower the base
             7 |       retry 2 backoff 1s max 100ms
               |                              ^^^^^\
            """),
        row(
            "MG342",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              host "*" {
                route /a {
                  to catalog
                  backend-timeout 2s
                  retry 2 per-try 1s
                }
              }
            }
            """,
            """
            t.mesh:7:7: error[MG342]: each attempt's timeout is already set by `per-try` of the retry at line 8; keep one of `backend-timeout` and `per-try`
             7 |       backend-timeout 2s
               |       ^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG343",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              host "*" {
                route /a {
                  to catalog
                  fault abort 503 0%
                }
              }
            }
            """,
            """
            t.mesh:7:23: error[MG343]: a fault applies to a share from 1% to 100% of requests, found 0%
             7 |       fault abort 503 0%
               |                       ^^\
            """),
        row(
            "MG344",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              host "*" {
                route /a {
                  to catalog
                  fault abort 600
                }
              }
            }
            """,
            """
            t.mesh:7:19: error[MG344]: an HTTP status to abort with is from 200 to 599 (like 503), found 600
             7 |       fault abort 600
               |                   ^^^\
            """),
        row(
            "MG344",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              host "*" {
                route /a {
                  to catalog
                  fault abort grpc 17
                }
              }
            }
            """,
            """
            t.mesh:7:24: error[MG344]: a gRPC status to abort with is from 1 to 16 (like 14, UNAVAILABLE), found 17
             7 |       fault abort grpc 17
               |                        ^^\
            """),
        row(
            "MG345",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              host "*" {
                route /a {
                  to catalog
                  timeout 1s
                  backend-timeout 3s
                }
              }
            }
            """,
            """
            t.mesh:8:7: warning[MG345]: an attempt may take 3s, but the whole request is cut off after 1s; lower `backend-timeout` or raise `timeout`
             8 |       backend-timeout 3s
               |       ^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG346",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              host "*" {
                route /a {
                  to catalog
                  fault delay 1s when header "x-a"
                  fault abort 503
                }
              }
            }
            """,
            """
            t.mesh:8:7: error[MG346]: this abort and the delay at line 7 must apply to the same requests: give both the same `when header`, or neither
             8 |       fault abort 503
               |       ^^^^^^^^^^^^^^^\
            """),
        row(
            "MG307",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              host "*" {
                route /a {
                  to catalog
                  retry 2 on 200
                }
              }
            }
            """,
            """
            t.mesh:7:18: error[MG307]: a retriable status code must be from 400 to 599, found 200
             7 |       retry 2 on 200
               |                  ^^^\
            """));
  }

  private static Arguments row(String code, String source, String rendered) {
    return Arguments.of(code, source, rendered);
  }
}
