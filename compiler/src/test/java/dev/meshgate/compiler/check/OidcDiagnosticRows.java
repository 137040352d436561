package dev.meshgate.compiler.check;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Pinned diagnostics of OIDC login (issue 12); run by DiagnosticsTest. */
final class OidcDiagnosticRows {
  private OidcDiagnosticRows() {}

  /** A complete provider named "p" (line 2 of every row), whose fields rows may append. */
  private static final String PROVIDER =
      "oidc-provider \"p\" { authorization-endpoint \"https://i/a\""
          + " token-endpoint \"https://i/t\" client-id \"w\" client-secret env \"S\"";

  static Stream<Arguments> rows() {
    return Stream.of(
        row(
            "MG610",
            """
            service web { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 %s }
              host "*" { route /** { require oidc "q" to web } } }
            """
                .formatted(PROVIDER),
            """
            t.mesh:3:39: error[MG610]: gateway "edge" has no oidc-provider "q"; declared oidc providers: p
             3 |   host "*" { route /** { require oidc "q" to web } } }
               |                                       ^^^\
            """),
        row(
            "MG611",
            """
            service web { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 %s }
              %s } require oidc "p" host "*" { route /** { to web } } }
            """
                .formatted(PROVIDER, PROVIDER),
            """
            t.mesh:3:17: error[MG611]: duplicate oidc-provider "p" in gateway "edge"; it is first declared at line 2
             3 |   oidc-provider "p" { authorization-endpoint "https://i/a" token-endpoint "https://i/t" client-id "w" client-secret en…
               |                 ^^^\
            """),
        row(
            "MG612",
            """
            service web { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 oidc-provider "p" { authorization-endpoint "https://idp.example/a"
              token-endpoint "https://idp.example/t" client-id "web" client-secret "hunter2" }
              require oidc "p" host "*" { route /** { to web } } }
            """,
            """
            t.mesh:3:72: error[MG612]: a secret is written into the policy; secrets never go in a policy: put it in a file only the server can read and write `client-secret file "/etc/meshgate/p-client-secret"`, or in the server's environment and write `client-secret env "VARIABLE"`
             3 |   token-endpoint "https://idp.example/t" client-id "web" client-secret "hunter2" }
               |                                                                        ^^^^^^^^^\
            """),
        row(
            "MG613",
            """
            service web { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 oidc-provider "p" { authorization-endpoint "https://idp.example/a"
              token-endpoint "http://idp.example/t" client-id "web" client-secret env "P_SECRET" }
              require oidc "p" host "*" { route /** { to web } } }
            """,
            """
            t.mesh:3:18: warning[MG613]: the token-endpoint is plain http, so the client secret and the users' tokens cross the network readable; use https
             3 |   token-endpoint "http://idp.example/t" client-id "web" client-secret env "P_SECRET" }
               |                  ^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG614",
            """
            service web { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 %s }
              require oidc "p" host "*" { route /logout { respond 200 "bye" } route /** { to web } } }
            """
                .formatted(PROVIDER),
            """
            t.mesh:3:37: error[MG614]: path /logout is the logout-path of oidc-provider "p", which Envoy answers itself on host "*", so this route is never reached; move the route or set another `logout-path` in the provider
             3 |   require oidc "p" host "*" { route /logout { respond 200 "bye" } route /** { to web } } }
               |                                     ^^^^^^^\
            """),
        row(
            "MG615",
            """
            service web { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 %s }
              host "*" { route /** { to web } } }
            """
                .formatted(PROVIDER),
            """
            t.mesh:2:43: warning[MG615]: oidc-provider "p" is not required by any host or route, so nobody logs in with it; add `require oidc "p"` where browsers must log in, or remove it
             2 | …teway edge { listen :8080 oidc-provider "p" { authorization-endpoint "https://i/a" token-endpoint "https://i/t" client…
               |                                          ^^^\
            """),
        row(
            "MG616",
            """
            service web { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 oidc-provider "p" { client-id "web" }
              require oidc "p" host "*" { route /** { to web } } }
            """,
            """
            t.mesh:2:43: error[MG616]: oidc-provider "p" has no `authorization-endpoint`, `token-endpoint`, `client-secret`; a provider needs `authorization-endpoint "https://…"`, `token-endpoint "https://…"` (from the provider's /.well-known/openid-configuration), `client-id "…"` and `client-secret file "…"` or `client-secret env "…"`
             2 | gateway edge { listen :8080 oidc-provider "p" { client-id "web" }
               |                                           ^^^\
            """),
        row(
            "MG617",
            """
            service web { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 %s
              client-id "again" } require oidc "p" host "*" { route /** { to web } } }
            """
                .formatted(PROVIDER),
            """
            t.mesh:3:3: error[MG617]: `client-id` is already written at line 2; a provider has one
             3 |   client-id "again" } require oidc "p" host "*" { route /** { to web } } }
               |   ^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG618",
            """
            service web { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 %s
              redirect-path "callback" } require oidc "p" host "*" { route /** { to web } } }
            """
                .formatted(PROVIDER),
            """
            t.mesh:3:17: error[MG618]: the redirect-path "callback" is not a path like "/oauth2/callback"
             3 |   redirect-path "callback" } require oidc "p" host "*" { route /** { to web } } }
               |                 ^^^^^^^^^^\
            """));
  }

  private static Arguments row(String code, String source, String rendered) {
    return Arguments.of(code, source, rendered);
  }
}
