package dev.meshgate.compiler.check;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Pinned diagnostics of JWT authentication and claim rules (issue 12); run by DiagnosticsTest. */
final class JwtDiagnosticRows {
  private JwtDiagnosticRows() {}

  static Stream<Arguments> rows() {
    return Stream.of(
        row(
            "MG660",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 jwt-provider "p" { issuer "i" jwks file "k.jwks" }
              host "*" { route /** { require jwt "p" allow jwt claim "" = "x" to catalog } } }
            """,
            """
            t.mesh:3:58: error[MG660]: a claim name cannot be empty
             3 |   host "*" { route /** { require jwt "p" allow jwt claim "" = "x" to catalog } } }
               |                                                          ^^\
            """),
        row(
            "MG661",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 jwt-provider "p" { issuer "i" jwks file "k.jwks" }
              host "*" { route /** { require jwt "p" allow jwt scope "read write" to catalog } } }
            """,
            """
            t.mesh:3:58: error[MG661]: scope "read write" is not one scope: scopes are separated by spaces in the token; write one `scope` condition per scope, joined by `and`
             3 |   host "*" { route /** { require jwt "p" allow jwt scope "read write" to catalog } } }
               |                                                          ^^^^^^^^^^^^\
            """),
        row(
            "MG662",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 jwt-provider "auth0" { issuer "i" jwks file "k.jwks" }
              host "*" { route /** { require jwt "auth" to catalog } } }
            """,
            """
            t.mesh:3:38: error[MG662]: gateway "edge" has no jwt-provider "auth"; did you mean "auth0"?
             3 |   host "*" { route /** { require jwt "auth" to catalog } } }
               |                                      ^^^^^^\
            """),
        row(
            "MG663",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 jwt-provider "p" { issuer "i" jwks file "k.jwks" }
              jwt-provider "p" { issuer "j" jwks file "j.jwks" } require jwt "p" host "*" { route /** { to catalog } } }
            """,
            """
            t.mesh:3:16: error[MG663]: duplicate jwt-provider "p" in gateway "edge"; it is first declared at line 2
             3 |   jwt-provider "p" { issuer "j" jwks file "j.jwks" } require jwt "p" host "*" { route /** { to catalog } } }
               |                ^^^\
            """),
        row(
            "MG664",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 jwt-provider "p" { jwks file "k.jwks" }
              require jwt "p" host "*" { route /** { to catalog } } }
            """,
            """
            t.mesh:2:42: error[MG664]: jwt-provider "p" has no `issuer`; write the `iss` its tokens carry, like `issuer "https://auth.example/"`
             2 | gateway edge { listen :8080 jwt-provider "p" { jwks file "k.jwks" }
               |                                          ^^^\
            """),
        row(
            "MG665",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 jwt-provider "p" { issuer "i" jwks file "k.jwks" jwks file "l.jwks" }
              require jwt "p" host "*" { route /** { to catalog } } }
            """,
            """
            t.mesh:2:78: error[MG665]: `jwks` is already written at line 2; a provider has one
             2 | gateway edge { listen :8080 jwt-provider "p" { issuer "i" jwks file "k.jwks" jwks file "l.jwks" }
               |                                                                              ^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG666",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 jwt-provider "p" { issuer "i" jwks "auth.example/jwks.json" }
              require jwt "p" host "*" { route /** { to catalog } } }
            """,
            """
            t.mesh:2:64: error[MG666]: jwks "auth.example/jwks.json" is not an http(s) URL with a host and a path, like "https://auth.example/.well-known/jwks.json"
             2 | gateway edge { listen :8080 jwt-provider "p" { issuer "i" jwks "auth.example/jwks.json" }
               |                                                                ^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG667",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 jwt-provider "p" { issuer "i" jwks "https://u:secret@auth.example/jwks" }
              require jwt "p" host "*" { route /** { to catalog } } }
            """,
            """
            t.mesh:2:64: error[MG667]: the jwks URL carries credentials; secrets never go in a policy: serve the JWKS without them (it holds public keys only), or use `jwks file "…"`
             2 | gateway edge { listen :8080 jwt-provider "p" { issuer "i" jwks "https://u:secret@auth.example/jwks" }
               |                                                                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG668",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 jwt-provider "p" { issuer "i" jwks "http://auth.example/jwks" }
              require jwt "p" host "*" { route /** { to catalog } } }
            """,
            """
            t.mesh:2:64: warning[MG668]: the keys are fetched over plain http, so anyone on the path can swap them and mint tokens this gateway accepts; use https
             2 | gateway edge { listen :8080 jwt-provider "p" { issuer "i" jwks "http://auth.example/jwks" }
               |                                                                ^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG669",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 jwt-provider "p" { issuer "i" jwks file "k.jwks" }
              host "*" { route /a/** { require jwt "p" to catalog } route /** { allow jwt claim "role" = "admin" to catalog } } }
            """,
            """
            t.mesh:3:69: error[MG669]: claim rules apply to this route, but it requires no JWT, so no request can match an `allow` and every request is refused with 403; add `require jwt "…"`
             3 |   host "*" { route /a/** { require jwt "p" to catalog } route /** { allow jwt claim "role" = "admin" to catalog } } }
               |                                                                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG670",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 jwt-provider "p" { issuer "i" jwks file "k.jwks" }
              host "*" { route /** { to catalog } } }
            """,
            """
            t.mesh:2:42: warning[MG670]: jwt-provider "p" is not required by any host or route, so its tokens are never checked; add `require jwt "p"` where it applies, or remove it
             2 | gateway edge { listen :8080 jwt-provider "p" { issuer "i" jwks file "k.jwks" }
               |                                          ^^^\
            """),
        row(
            "MG671",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 jwt-provider "p" { issuer "i" jwks file "k.jwks" }
              host "*" { require jwt "p" route /a/** { to catalog } route /b/** { to catalog } route /c/** { require jwt "p" optional to catalog } } }
            """,
            """
            t.mesh:3:84: warning[MG671]: every other route of host "*" requires a JWT, but this one is reachable with no token (`optional`); add `require jwt "…"`, or `require none` if it is public on purpose
             3 | … jwt "p" route /a/** { to catalog } route /b/** { to catalog } route /c/** { require jwt "p" optional to catalog } } }
               |                                                                 ^^^^^^^^^^^\
            """),
        row(
            "MG672",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 jwt-provider "a b" { issuer "i" jwks file "k.jwks" }
              require jwt "a b" host "*" { route /** { to catalog } } }
            """,
            """
            t.mesh:2:42: error[MG672]: jwt-provider name "a b" may only use letters, digits and . _ - (it names Envoy resources)
             2 | gateway edge { listen :8080 jwt-provider "a b" { issuer "i" jwks file "k.jwks" }
               |                                          ^^^^^\
            """),
        row(
            "MG673",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 jwt-provider "p" { issuer "i" jwks file "k.jwks" from query "" }
              require jwt "p" host "*" { route /** { to catalog } } }
            """,
            """
            t.mesh:2:89: error[MG673]: a query parameter name cannot be empty
             2 | gateway edge { listen :8080 jwt-provider "p" { issuer "i" jwks file "k.jwks" from query "" }
               |                                                                                         ^^\
            """),
        row(
            "MG674",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 jwt-provider "p" { issuer "i"
              jwks file "src/test/resources/jwks/private.jwks.json" }
              require jwt "p" host "*" { route /** { to catalog } } }
            """,
            """
            t.mesh:3:13: error[MG674]: jwks file "src/test/resources/jwks/private.jwks.json" holds a private key (key "signing" has "d"); a gateway verifies with public keys only, and anyone who reads this file could mint tokens it accepts: keep only the public members (kty, kid, n, e, or crv, x, y) in the file, and the private key with the token issuer
             3 |   jwks file "src/test/resources/jwks/private.jwks.json" }
               |             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG675",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 jwt-provider "p" { issuer "i"
              jwks file "src/test/resources/jwks/not-a-jwks.json" }
              require jwt "p" host "*" { route /** { to catalog } } }
            """,
            """
            t.mesh:3:13: error[MG675]: jwks file "src/test/resources/jwks/not-a-jwks.json" is not a JSON Web Key Set (a JSON object with a "keys" list), so Envoy could verify no token with it
             3 |   jwks file "src/test/resources/jwks/not-a-jwks.json" }
               |             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG667",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 jwt-provider "p" { issuer "i"
              jwks file "{\\"keys\\": [{\\"kty\\": \\"oct\\", \\"k\\": \\"c2VjcmV0\\"}]}" }
              require jwt "p" host "*" { route /** { to catalog } } }
            """,
            """
            t.mesh:3:13: error[MG667]: this looks like a key written into the policy; keys never go in a policy: write `jwks "https://…"` or `jwks file "…"` instead
             3 |   jwks file "{\\"keys\\": [{\\"kty\\": \\"oct\\", \\"k\\": \\"c2VjcmV0\\"}]}" }
               |             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """));
  }

  private static Arguments row(String code, String source, String rendered) {
    return Arguments.of(code, source, rendered);
  }
}
