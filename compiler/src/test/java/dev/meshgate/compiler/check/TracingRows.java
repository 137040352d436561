package dev.meshgate.compiler.check;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Pinned diagnostics of tracing (issue 15). */
final class TracingRows {
  private TracingRows() {}

  static final String SERVICE =
      """
      service catalog {
        source static 127.0.0.1:9101
      }
      """;

  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of(
            "MG970",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  tracing { collector "127.0.0.1:4317" sample 150% }
                  host "a" { route /a { to catalog } }
                }
                """,
            """
            t.mesh:6:47: error[MG970]: a sample is a share of requests from 0% to 100%, found 150%
             6 |   tracing { collector "127.0.0.1:4317" sample 150% }
               |                                               ^^^^\
            """),
        Arguments.of(
            "MG971",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  tracing { collector "http://collector:4317" }
                  host "a" { route /a { to catalog } }
                }
                """,
            """
            t.mesh:6:23: error[MG971]: collector "http://collector:4317" is not HOST:PORT; write the OTLP/gRPC receiver's address like "127.0.0.1:4317" or "otel-collector.internal:4317" (no scheme, no path)
             6 |   tracing { collector "http://collector:4317" }
               |                       ^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG972",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  tracing { sample 10% }
                  host "a" { route /a { to catalog } }
                }
                """,
            """
            t.mesh:6:3: error[MG972]: `tracing` in gateway "edge" says nowhere to send spans; add `collector "HOST:PORT"` (an OTLP/gRPC receiver, e.g. an OpenTelemetry Collector on 4317)
             6 |   tracing { sample 10% }
               |   ^^^^^^^\
            """),
        Arguments.of(
            "MG973",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  tracing { collector "127.0.0.1:4317" sample 10% sample 20% }
                  host "a" { route /a { to catalog } }
                }
                """,
            """
            t.mesh:6:51: error[MG973]: `sample` is written twice in this `tracing` block (first at line 6); keep one
             6 |   tracing { collector "127.0.0.1:4317" sample 10% sample 20% }
               |                                                   ^^^^^^^^^^\
            """),
        Arguments.of(
            "MG974",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  host "a" { route /a { to catalog  trace sample 100% } }
                }
                """,
            """
            t.mesh:6:37: error[MG974]: `trace sample` overrides the sample of a `tracing` block, but gateway "edge" does not trace; add `tracing { collector "HOST:PORT" }` to gateway "edge"
             6 |   host "a" { route /a { to catalog  trace sample 100% } }
               |                                     ^^^^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG975",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  tracing { collector "127.0.0.1:4317" tag "" from header "x-tenant" }
                  host "a" { route /a { to catalog } }
                }
                """,
            """
            t.mesh:6:44: error[MG975]: a span tag needs a name; write `tag "tenant" from header "x-tenant"`
             6 |   tracing { collector "127.0.0.1:4317" tag "" from header "x-tenant" }
               |                                            ^^\
            """));
  }
}
