package dev.meshgate.compiler.check;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Pinned diagnostics of API keys (issue 12); run by DiagnosticsTest. */
final class ApiKeyRows {
  private ApiKeyRows() {}

  static Stream<Arguments> rows() {
    return Stream.of(
        row(
            "MG680",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 api-keys "partners" { keys file "/etc/p.keys" }
              host "*" { route /** { require api-key "partner" to catalog } } }
            """,
            """
            t.mesh:3:42: error[MG680]: gateway "edge" has no api-keys "partner"; did you mean "partners"?
             3 |   host "*" { route /** { require api-key "partner" to catalog } } }
               |                                          ^^^^^^^^^\
            """),
        row(
            "MG681",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 api-keys "p" { keys file "/etc/p.keys" }
              api-keys "p" { keys file "/etc/q.keys" } require api-key "p" host "*" { route /** { to catalog } } }
            """,
            """
            t.mesh:3:12: error[MG681]: duplicate api-keys "p" in gateway "edge"; it is first declared at line 2
             3 |   api-keys "p" { keys file "/etc/q.keys" } require api-key "p" host "*" { route /** { to catalog } } }
               |            ^^^\
            """),
        row(
            "MG682",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 api-keys "p" { keys "sk_live_51Habc" }
              require api-key "p" host "*" { route /** { to catalog } } }
            """,
            """
            t.mesh:2:49: error[MG682]: API keys must not be written in a policy (policies live in version control and in compiled output); put them in a keys file on the server, one `client key` per line, and write `keys file "/etc/meshgate/p.keys"` here
             2 | gateway edge { listen :8080 api-keys "p" { keys "sk_live_51Habc" }
               |                                                 ^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG683",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 api-keys "p" { keys file "p.keys" }
              require api-key "p" host "*" { route /** { to catalog } } }
            """,
            """
            t.mesh:2:54: error[MG683]: the keys file must be an absolute path (`meshgate serve` reads it, from wherever it runs), like "/etc/meshgate/p.keys"
             2 | gateway edge { listen :8080 api-keys "p" { keys file "p.keys" }
               |                                                      ^^^^^^^^\
            """),
        row(
            "MG684",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 api-keys "p" { from header "x-key" }
              require api-key "p" host "*" { route /** { to catalog } } }
            """,
            """
            t.mesh:2:38: error[MG684]: api-keys "p" has no `keys file`, so no key can match; write `keys file "/etc/meshgate/p.keys"` (a file on the server, one `client key` per line)
             2 | gateway edge { listen :8080 api-keys "p" { from header "x-key" }
               |                                      ^^^\
            """),
        row(
            "MG685",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 api-keys "p" { keys file "/etc/p.keys" }
              host "*" { route /** { to catalog } } }
            """,
            """
            t.mesh:2:38: warning[MG685]: api-keys "p" is not required by any host or route, so its keys are never checked; add `require api-key "p"` where it applies, or remove it
             2 | gateway edge { listen :8080 api-keys "p" { keys file "/etc/p.keys" }
               |                                      ^^^\
            """),
        row(
            "MG686",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 api-keys "p" { keys file "/etc/p.keys" }
              host "*" { route /** { require api-key "p" clients "acme corp" to catalog } } }
            """,
            """
            t.mesh:3:54: error[MG686]: "acme corp" is not a client name; client names use letters, digits and . _ @ -, as in the keys file
             3 |   host "*" { route /** { require api-key "p" clients "acme corp" to catalog } } }
               |                                                      ^^^^^^^^^^^\
            """),
        row(
            "MG687",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 api-keys "p" { keys file "/etc/p.keys" from header "x-meshgate-client" }
              require api-key "p" host "*" { route /** { to catalog } } }
            """,
            """
            t.mesh:2:80: error[MG687]: "x-meshgate-client" carries the authenticated client's name to backends; read keys from another header, like "x-api-key"
             2 | gateway edge { listen :8080 api-keys "p" { keys file "/etc/p.keys" from header "x-meshgate-client" }
               |                                                                                ^^^^^^^^^^^^^^^^^^^\
            """));
  }

  private static Arguments row(String code, String source, String rendered) {
    return Arguments.of(code, source, rendered);
  }
}
