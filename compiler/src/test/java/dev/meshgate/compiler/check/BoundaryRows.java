package dev.meshgate.compiler.check;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Pinned diagnostics of compression and request limits (issue 13). */
final class BoundaryRows {
  private BoundaryRows() {}

  static final String SERVICE =
      """
      service catalog { source static 127.0.0.1:9101 }
      """;

  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of(
            "MG460",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  compress zstd
                  host "a" { route /a { to catalog } }
                }
                """,
            """
            t.mesh:4:12: error[MG460]: unknown compression "zstd"; use gzip, brotli, or off
             4 |   compress zstd
               |            ^^^^\
            """),
        Arguments.of(
            "MG461",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  host "a" { route /a { to catalog  compress off min-size 10 } }
                }
                """,
            """
            t.mesh:4:37: error[MG461]: `compress off` turns compression off and takes nothing else; write either `compress off` or the algorithms like `compress gzip, brotli`
             4 |   host "a" { route /a { to catalog  compress off min-size 10 } }
               |                                     ^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG462",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  compress gzip types "application/json", "image/png"
                  host "a" { route /a { to catalog } }
                }
                """,
            """
            t.mesh:4:43: warning[MG462]: "image/png" is already compressed: compressing it again costs CPU and saves nothing; remove it from `types`
             4 |   compress gzip types "application/json", "image/png"
               |                                           ^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG463",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  host "a" { max-request-body 1gb  route /a { to catalog } }
                }
                """,
            """
            t.mesh:4:31: error[MG463]: unknown size unit "gb" in 1gb; write bytes like 1024, or b, kb or mb like 512b, 64kb or 1mb (1kb = 1024 bytes)
             4 |   host "a" { max-request-body 1gb  route /a { to catalog } }
               |                               ^^^\
            """),
        Arguments.of(
            "MG464",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  max-request-headers 16mb
                  host "a" { route /a { to catalog  compress gzip min-size 0 } }
                }
                """,
            """
            t.mesh:4:23: error[MG464]: max-request-headers 16mb is out of range; it takes 1kb to 8mb
             4 |   max-request-headers 16mb
               |                       ^^^^

            t.mesh:5:60: error[MG464]: min-size 0 is out of range; it takes 1 byte to 1024mb
             5 |   host "a" { route /a { to catalog  compress gzip min-size 0 } }
               |                                                            ^\
            """),
        Arguments.of(
            "MG465",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  compress gzip types "application/json; charset=utf-8"
                  host "a" { route /a { to catalog } }
                }
                """,
            """
            t.mesh:4:23: error[MG465]: "application/json; charset=utf-8" is not a content type; write type/subtype like "application/json" (no parameters such as charset)
             4 |   compress gzip types "application/json; charset=utf-8"
               |                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG466",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  idle-timeout 1h
                  idle-timeout none
                  host "a" { route /a { to catalog } }
                }
                """,
            """
            t.mesh:5:3: error[MG466]: `idle-timeout` is already set for gateway "edge" at line 4; write it once
             5 |   idle-timeout none
               |   ^^^^^^^^^^^^^^^^^\
            """));
  }
}
