package dev.meshgate.compiler.check;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Pinned diagnostics of access logs (issue 15): MG960-MG967, MG744. */
final class AccessLogRows {
  private AccessLogRows() {}

  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of(
            "MG744",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              access-log json to otlp "http://collector:4317"
              host "*" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:4:27: error[MG744]: access-log collector "http://collector:4317" is not HOST:PORT; write the OTLP/gRPC receiver's address like "127.0.0.1:4317" or "otel-collector.internal:4317" (no scheme, no path)
             4 |   access-log json to otlp "http://collector:4317"
               |                           ^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG744",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              access-log text to otlp
              host "*" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:4:22: error[MG744]: `to otlp` needs the collector's address; write `to otlp "127.0.0.1:4317"` (an OTLP/gRPC receiver, e.g. an OpenTelemetry Collector on 4317)
             4 |   access-log text to otlp
               |                      ^^^^\
            """),
        Arguments.of(
            "MG960",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              access-log json to otpl "127.0.0.1:4317"
              host "*" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:4:22: error[MG960]: unknown access-log destination "otpl" before an address; write `to otlp "HOST:PORT"`
             4 |   access-log json to otpl "127.0.0.1:4317"
               |                      ^^^^\
            """),
        Arguments.of(
            "MG960",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              access-log jsn to stdout
              host "*" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:4:14: error[MG960]: unknown access-log format "jsn"; did you mean "json"?
             4 |   access-log jsn to stdout
               |              ^^^\
            """),
        Arguments.of(
            "MG960",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              access-log json to stdout { fields method, stauts }
              host "*" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:4:46: error[MG960]: unknown access-log field "stauts"; did you mean "status"?
             4 |   access-log json to stdout { fields method, stauts }
               |                                              ^^^^^^\
            """),
        Arguments.of(
            "MG960",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              access-log text "%method% %pth%" to stdot
              host "*" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:4:29: error[MG960]: unknown access-log field "pth"; did you mean "path"?
             4 |   access-log text "%method% %pth%" to stdot
               |                             ^^^^^

            t.mesh:4:39: error[MG960]: unknown access-log destination "stdot"; did you mean "stdout"?
             4 |   access-log text "%method% %pth%" to stdot
               |                                       ^^^^^\
            """),
        Arguments.of(
            "MG961",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              access-log json to file "logs/edge.log"
              host "*" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:4:27: error[MG961]: access-log file "logs/edge.log" is not an absolute file path; Envoy would resolve it against its own working directory, which differs between proxies; write a path like "/var/log/envoy/edge.log"
             4 |   access-log json to file "logs/edge.log"
               |                           ^^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG962",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              access-log json to stdout { fields method, header "Authorization" }
              host "*" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:4:53: error[MG962]: header "authorization" carries credentials, and secrets never go to a log; log who the caller is instead (a claim copied to a header with `claim "sub" to-header "x-user"`)
             4 |   access-log json to stdout { fields method, header "Authorization" }
               |                                                     ^^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG962",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              access-log text "%status% %header:cookie%" to stderr
              host "*" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:4:29: error[MG962]: header "cookie" carries credentials, and secrets never go to a log; log who the caller is instead (a claim copied to a header with `claim "sub" to-header "x-user"`)
             4 |   access-log text "%status% %header:cookie%" to stderr
               |                             ^^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG963",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              access-log json to stdout { sample 101% }
              host "*" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:4:38: error[MG963]: sample 101% is out of range; write a share from 0% (log nothing) to 100% (log every request)
             4 |   access-log json to stdout { sample 101% }
               |                                      ^^^^\
            """),
        Arguments.of(
            "MG964",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              access-log json to stdout
              access-log text to stderr
              host "*" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:5:3: error[MG964]: gateway "edge" already has an access-log (at line 4); a proxy writes one log, keep one and put every field in it
             5 |   access-log text to stderr
               |   ^^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG965",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              access-log json to stdout { fields path, method, path }
              host "*" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:4:52: error[MG965]: field "path" is already logged (at line 4); name it once
             4 |   access-log json to stdout { fields path, method, path }
               |                                                    ^^^^\
            """),
        Arguments.of(
            "MG965",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              access-log json to stdout { sample 5%  sample 10% }
              host "*" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:4:42: error[MG965]: `sample` is already written in this access-log (at line 4); keep one
             4 |   access-log json to stdout { sample 5%  sample 10% }
               |                                          ^^^^^^^^^^\
            """),
        Arguments.of(
            "MG966",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              access-log json to stdout { only slower-than }
              host "*" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:4:31: error[MG966]: `only slower-than` needs a duration, like `only slower-than 500ms`
             4 |   access-log json to stdout { only slower-than }
               |                               ^^^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG966",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              access-log json to stdout { only errors 2s }
              host "*" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:4:43: error[MG966]: `only errors` takes no duration; for slow requests add a line `only slower-than 2s`
             4 |   access-log json to stdout { only errors 2s }
               |                                           ^^\
            """),
        Arguments.of(
            "MG967",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              access-log json "%status%" to stdout
              host "*" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:4:19: error[MG967]: a json access-log names its fields in `fields …`, not in a template; remove the string, or write `access-log text "…"`
             4 |   access-log json "%status%" to stdout
               |                   ^^^^^^^^^^\
            """),
        Arguments.of(
            "MG967",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              access-log text "%status% %method" to stdout
              host "*" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:4:29: error[MG967]: this '%' opens a field that is never closed; write fields like %status% or %header:x-user%
             4 |   access-log text "%status% %method" to stdout
               |                             ^\
            """),
        Arguments.of(
            "MG967",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              access-log text "%status%" to stdout { fields status }
              host "*" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:4:42: error[MG967]: this text access-log has a template, which names its fields itself; remove `fields`, or remove the template to log the fields separated by spaces
             4 |   access-log text "%status%" to stdout { fields status }
               |                                          ^^^^^^^^^^^^^\
            """));
  }
}
