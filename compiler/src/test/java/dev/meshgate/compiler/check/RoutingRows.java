package dev.meshgate.compiler.check;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Pinned diagnostics of mirrors, match alternatives and partial overlaps (issue 11). */
final class RoutingRows {
  private RoutingRows() {}

  static final String SERVICES =
      """
      service catalog {
        source static 127.0.0.1:9101
      }
      service shadow {
        source static 127.0.0.1:9301
      }
      """;

  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of(
            "MG430",
            SERVICES
                + """
                gateway edge {
                  listen :8080
                  host "a" {
                    route /a { to catalog }
                    route /c { respond 200  mirror shadow }
                  }
                }
                """,
            """
            t.mesh:11:29: error[MG430]: `mirror` copies requests that are forwarded with `to`, but this route uses `respond`; remove the mirror
             11 |     route /c { respond 200  mirror shadow }
                |                             ^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG431",
            SERVICES
                + """
                gateway edge {
                  listen :8080
                  host "a" {
                    route /a { to catalog  mirror shadow 0% }
                  }
                }
                """,
            """
            t.mesh:10:42: error[MG431]: a mirror copies from 1% to 100% of the requests, found 0%; remove the mirror to copy nothing
             10 |     route /a { to catalog  mirror shadow 0% }
                |                                          ^^\
            """),
        Arguments.of(
            "MG432",
            SERVICES
                + """
                gateway edge {
                  listen :8080
                  host "a" {
                    route /a { to catalog  mirror shadow  mirror shadow 10% }
                  }
                }
                """,
            """
            t.mesh:10:43: error[MG432]: "shadow" is mirrored twice here (first at line 10); keep one mirror per target
             10 |     route /a { to catalog  mirror shadow  mirror shadow 10% }
                |                                           ^^^^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG730",
            SERVICES
                + """
                gateway edge {
                  listen :8080
                  host "a" {
                    route GET /m/** { to catalog  mirror shadow }
                    route /m/x when header "x-canary" = "true" { to catalog }
                  }
                }
                """,
            """
            t.mesh:11:5: warning[MG730]: this route and the route at line 10 (`GET /m/**`) both match `GET /m/x with header "x-canary" = "true"` and neither covers the other, so their order decides: the route at line 10 takes it. Suggested order: this narrower route first; move it above line 10
             11 |     route /m/x when header "x-canary" = "true" { to catalog }
                |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """));
  }
}
