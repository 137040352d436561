package dev.meshgate.compiler.check;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Pinned diagnostics of external authorization (issue 12). */
final class ExtAuthzRows {
  private ExtAuthzRows() {}

  static final String SERVICE =
      """
      service catalog {
        source static 127.0.0.1:9101
      }
      """;

  private static String gateway(String extAuthz, String route) {
    return SERVICE
        + """
        gateway edge {
          listen :8080
        """
        + extAuthz
        + """
          host "a" { route /a { to catalog  ROUTE } }
        }
        """
            .replace("ROUTE", route);
  }

  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of(
            "MG690",
            gateway(
                "  ext-authz \"policy-engine\" { grpc \"127.0.0.1:9191\" }\n",
                "require ext-authz \"policy-engne\""),
            """
            t.mesh:7:55: error[MG690]: gateway "edge" has no ext-authz "policy-engne"; did you mean "policy-engine"?
             7 |   host "a" { route /a { to catalog  require ext-authz "policy-engne" } }
               |                                                       ^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG691",
            gateway(
                "  ext-authz \"p\" { grpc \"127.0.0.1:9191\" }\n"
                    + "  ext-authz \"p\" { http \"127.0.0.1:8181\" }\n",
                "require ext-authz \"p\""),
            """
            t.mesh:7:13: error[MG691]: duplicate ext-authz "p" in gateway "edge"; it is first declared at line 6
             7 |   ext-authz "p" { http "127.0.0.1:8181" }
               |             ^^^\
            """),
        Arguments.of(
            "MG692",
            gateway("  ext-authz \"p\" { timeout 1s }\n", "require ext-authz \"p\""),
            """
            t.mesh:6:3: error[MG692]: ext-authz "p" says no service to ask; add `grpc "HOST:PORT"` (an envoy.service.auth.v3.Authorization server) or `http "HOST:PORT"`
             6 |   ext-authz "p" { timeout 1s }
               |   ^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG693",
            gateway(
                "  ext-authz \"p\" { grpc \"127.0.0.1:9191\" on-error allow on-error deny }\n",
                "require ext-authz \"p\""),
            """
            t.mesh:6:56: error[MG693]: `on-error` is written twice in this ext-authz block (first at line 6); keep one
             6 |   ext-authz "p" { grpc "127.0.0.1:9191" on-error allow on-error deny }
               |                                                        ^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG694",
            gateway(
                "  ext-authz \"p\" { grpc \"http://authz:9191\" }\n", "require ext-authz \"p\""),
            """
            t.mesh:6:24: error[MG694]: ext-authz address "http://authz:9191" is not HOST:PORT; write it like "127.0.0.1:9191" or "authz.internal:9191" (no scheme, no path)
             6 |   ext-authz "p" { grpc "http://authz:9191" }
               |                        ^^^^^^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG695",
            gateway(
                "  ext-authz \"p\" { grpc \"127.0.0.1:9191\" timeout 1m }\n",
                "require ext-authz \"p\""),
            """
            t.mesh:6:49: error[MG695]: every request of the routes it decides waits for the ext-authz service, at most 10s, found timeout 1m; a decision takes milliseconds, like `timeout 200ms`
             6 |   ext-authz "p" { grpc "127.0.0.1:9191" timeout 1m }
               |                                                 ^^\
            """),
        Arguments.of(
            "MG696",
            gateway("  ext-authz \"p\" { grpc \"127.0.0.1:9191\" }\n", ""),
            """
            t.mesh:6:13: warning[MG696]: ext-authz "p" is not required by any host or route, so it never decides a request; add `require ext-authz "p"` where it applies, or remove it
             6 |   ext-authz "p" { grpc "127.0.0.1:9191" }
               |             ^^^\
            """),
        Arguments.of(
            "MG697",
            gateway("  ext-authz \"p\" { soap \"127.0.0.1:9191\" }\n", "require ext-authz \"p\""),
            """
            t.mesh:6:19: error[MG697]: unknown ext-authz service kind `soap`; write `grpc "HOST:PORT"` or `http "HOST:PORT"`
             6 |   ext-authz "p" { soap "127.0.0.1:9191" }
               |                   ^^^^\
            """),
        Arguments.of(
            "MG698",
            gateway("", "ext-authz no"),
            """
            t.mesh:6:47: error[MG698]: `ext-authz no` is not a setting; write `ext-authz off` (no external authorization here) or `require ext-authz "NAME"`
             6 |   host "a" { route /a { to catalog  ext-authz no } }
               |                                               ^^\
            """));
  }
}
