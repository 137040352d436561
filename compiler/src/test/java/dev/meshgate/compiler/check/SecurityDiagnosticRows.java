package dev.meshgate.compiler.check;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Pinned diagnostics of edge TLS, CORS and embedded secrets (issue 12); run by DiagnosticsTest. */
final class SecurityDiagnosticRows {
  private SecurityDiagnosticRows() {}

  static Stream<Arguments> rows() {
    return Stream.of(
        row(
            "MG630",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 host "*" { route /** { cors { origin "*" credentials } to catalog } } }
            """,
            """
            t.mesh:2:66: error[MG630]: cors allows credentials from any origin ("*"): every web site could make requests with its visitors' cookies; list the origins you trust instead
             2 | gateway edge { listen :8080 host "*" { route /** { cors { origin "*" credentials } to catalog } } }
               |                                                                  ^^^\
            """),
        row(
            "MG631",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 host "*" { route /** { cors { methods GET } to catalog } } }
            """,
            """
            t.mesh:2:52: error[MG631]: cors allows no origin, so every cross-origin request is refused; add one like `origin "https://app.example.com"`
             2 | gateway edge { listen :8080 host "*" { route /** { cors { methods GET } to catalog } } }
               |                                                    ^^^^\
            """),
        row(
            "MG632",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 host "*" { route /** { cors { origin "https://app.example/" } to catalog } } }
            """,
            """
            t.mesh:2:66: error[MG632]: origin "https://app.example/" is not an origin; write scheme://host[:port] like "https://app.example.com", "https://*.example.com", or "*" for any origin (a browser sends no path and no trailing slash)
             2 | gateway edge { listen :8080 host "*" { route /** { cors { origin "https://app.example/" } to catalog } } }
               |                                                                  ^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG640",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8443 tls min-version 1.0
              certificate "*" file "c.pem" key file "k.pem"
              host "*" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:3:32: error[MG640]: min-version 1.0 is not allowed; TLS 1.0 is deprecated (RFC 8996) and unsafe; write 1.2 or 1.3
             3 |   listen :8443 tls min-version 1.0
               |                                ^^^\
            """),
        row(
            "MG641",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8443 tls ciphers "AES128-SHA"
              certificate "*" file "c.pem" key file "k.pem"
              host "*" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:3:28: error[MG641]: unknown or unsafe cipher "AES128-SHA"; choose from ECDHE-ECDSA-AES128-GCM-SHA256, ECDHE-RSA-AES128-GCM-SHA256, ECDHE-ECDSA-AES256-GCM-SHA384, ECDHE-RSA-AES256-GCM-SHA384, ECDHE-ECDSA-CHACHA20-POLY1305, ECDHE-RSA-CHACHA20-POLY1305
             3 |   listen :8443 tls ciphers "AES128-SHA"
               |                            ^^^^^^^^^^^^\
            """),
        row(
            "MG642",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8443 tls client-certificate always ca file "ca.pem"
              certificate "*" file "c.pem" key file "k.pem"
              host "*" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:3:39: error[MG642]: client-certificate is `required` or `optional`, not "always"
             3 |   listen :8443 tls client-certificate always ca file "ca.pem"
               |                                       ^^^^^^\
            """),
        row(
            "MG643",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8443 tls
              host "*" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:3:3: error[MG643]: gateway "edge" terminates TLS but has no certificate; add one like `certificate "api.example.com" file "api.pem" key file "api.key"` (or `certificate "localhost" built-in-ca` for development)
             3 |   listen :8443 tls
               |   ^^^^^^^^^^^^\
            """),
        row(
            "MG644",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8443 tls
              certificate "api.example.com" file "c.pem" key file "k.pem"
              host "api.example.com" { route /** { to catalog } }
              host "admin.example.com" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:6:8: error[MG644]: host "admin.example.com" is served by the TLS listener at line 3 but no certificate of gateway "edge" names it, so HTTPS clients asking for it are refused; add `certificate "admin.example.com" …` (or "*" for a default certificate)
             6 |   host "admin.example.com" { route /** { to catalog } }
               |        ^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG645",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080 redirect http
              listen :8443 tls
              certificate "*" file "c.pem" key file "k.pem"
              host "*" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:3:25: error[MG645]: a listener redirects to https only; write `redirect https`
             3 |   listen :8080 redirect http
               |                         ^^^^\
            """),
        row(
            "MG646",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080 redirect https
              host "*" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:3:16: error[MG646]: gateway "edge" has no `listen … tls` to redirect to; add one like `listen :8443 tls`
             3 |   listen :8080 redirect https
               |                ^^^^^^^^^^^^^^\
            """),
        row(
            "MG647",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              certificate "localhost" built-in-ca
              host "*" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:4:3: warning[MG647]: gateway "edge" has no `listen … tls`, so this certificate is never used; add one like `listen :8443 tls`
             4 |   certificate "localhost" built-in-ca
               |   ^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG648",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8443 tls
              certificate "localhost" built-in-ca
              certificate "localhost" file "c.pem" key file "k.pem"
              host "localhost" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:5:15: error[MG648]: "localhost" already has a certificate at line 4; a client asking for it must get exactly one
             5 |   certificate "localhost" file "c.pem" key file "k.pem"
               |               ^^^^^^^^^^^\
            """),
        row(
            "MG649",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8443 tls
              certificate "*" built-in-ca
              host "*" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:4:15: error[MG649]: the built-in CA issues certificates for names, not for "*"; list the host names clients use, like "localhost"
             4 |   certificate "*" built-in-ca
               |               ^^^\
            """),
        row(
            "MG650",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8443 tls
              certificate "*" file "-----BEGIN PRIVATE KEY-----MIIEvQIBADANBgkqhkiG9w0BAQEFAASC" key file "k.pem"
              host "*" { route /** { to catalog } }
            }
            """,
            """
            t.mesh:4:24: error[MG650]: a private key is pasted into the policy; policies are not secret (they live in git and CI logs): put the key in a PEM file and name it, like `certificate "api.example.com" file "api.pem" key file "api-key.pem"`
             4 |   certificate "*" file "-----BEGIN PRIVATE KEY-----MIIEvQIBADANBgkqhkiG9w0BAQEFAASC" key file "k.pem"
               |                        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """));
  }

  private static Arguments row(String code, String source, String rendered) {
    return Arguments.of(code, source, rendered);
  }
}
