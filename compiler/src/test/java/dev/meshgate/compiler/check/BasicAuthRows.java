package dev.meshgate.compiler.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Pinned diagnostics of basic auth (issue 12); run by DiagnosticsTest. */
final class BasicAuthRows {
  private BasicAuthRows() {}

  /** An htpasswd file the checker can read (MG627 needs one). */
  private static String usersFile(String name, String content) {
    try {
      // Short and fixed: the path is part of the pinned source line.
      Path dir = Path.of("/tmp/meshgate-basic-auth-rows");
      Files.createDirectories(dir);
      return Files.writeString(dir.resolve(name), content).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<Arguments> rows() {
    String good = usersFile("good.htpasswd", "# admins\nalice:{SHA}w3QkzGJswDXW5OKZHAJw0FELjfM=\n");
    String md5 = usersFile("md5.htpasswd", "alice:$apr1$x/abc$0123456789abcdefghijk\n");
    return Stream.of(
        row(
            "MG620",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 basic-auth "admins" { users file "/etc/a.htpasswd" }
              host "*" { route /** { require basic-auth "admin" to catalog } } }
            """,
            """
            t.mesh:3:45: error[MG620]: gateway "edge" has no basic-auth "admin"; did you mean "admins"?
             3 |   host "*" { route /** { require basic-auth "admin" to catalog } } }
               |                                             ^^^^^^^\
            """),
        row(
            "MG621",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 basic-auth "a" { users file "/etc/a.htpasswd" }
              basic-auth "a" { users file "/etc/b.htpasswd" } require basic-auth "a" host "*" { route /** { to catalog } } }
            """,
            """
            t.mesh:3:14: error[MG621]: duplicate basic-auth "a" in gateway "edge"; it is first declared at line 2
             3 |   basic-auth "a" { users file "/etc/b.htpasswd" } require basic-auth "a" host "*" { route /** { to catalog } } }
               |              ^^^\
            """),
        row(
            "MG622",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 basic-auth "a" { users "alice:secret" }
              require basic-auth "a" host "*" { route /** { to catalog } } }
            """,
            """
            t.mesh:2:52: error[MG622]: users and password hashes must not be written in a policy (policies live in version control and in compiled output); put them in an htpasswd file on the server (`htpasswd -cs /etc/meshgate/a.htpasswd alice`) and write `users file "/etc/meshgate/a.htpasswd"` here
             2 | gateway edge { listen :8080 basic-auth "a" { users "alice:secret" }
               |                                                    ^^^^^^^^^^^^^^\
            """),
        row(
            "MG623",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 basic-auth "a" { users file "a.htpasswd" }
              require basic-auth "a" host "*" { route /** { to catalog } } }
            """,
            """
            t.mesh:2:57: error[MG623]: the users file must be an absolute path (`meshgate serve` reads it, from wherever it runs), like "/etc/meshgate/a.htpasswd"
             2 | gateway edge { listen :8080 basic-auth "a" { users file "a.htpasswd" }
               |                                                         ^^^^^^^^^^^^\
            """),
        row(
            "MG624",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 basic-auth "a" { }
              require basic-auth "a" host "*" { route /** { to catalog } } }
            """,
            """
            t.mesh:2:40: error[MG624]: basic-auth "a" has no `users file`, so no user can pass; write `users file "/etc/meshgate/a.htpasswd"` (an htpasswd file on the server, made with `htpasswd -s`)
             2 | gateway edge { listen :8080 basic-auth "a" { }
               |                                        ^^^\
            """),
        row(
            "MG625",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 basic-auth "a" { users file "/etc/a.htpasswd" }
              host "*" { route /** { to catalog } } }
            """,
            """
            t.mesh:2:40: warning[MG625]: basic-auth "a" is not required by any host or route, so its users are never asked for a password; add `require basic-auth "a"` where it applies, or remove it
             2 | gateway edge { listen :8080 basic-auth "a" { users file "/etc/a.htpasswd" }
               |                                        ^^^\
            """),
        row(
            "MG626",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 basic-auth "a" { users file "/etc/a.htpasswd" }
              host "*" { route /** { require basic-auth "a" users "Alice Smith" to catalog } } }
            """,
            """
            t.mesh:3:55: error[MG626]: "Alice Smith" is not a user name; user names use letters, digits and . _ @ -, as in the users file
             3 |   host "*" { route /** { require basic-auth "a" users "Alice Smith" to catalog } } }
               |                                                       ^^^^^^^^^^^^^\
            """),
        row(
            "MG627",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 basic-auth "a" { users file "%s" }
              host "*" { route /** { require basic-auth "a" users "alice", "bob" to catalog } } }
            """
                .formatted(good),
            """
            t.mesh:3:64: warning[MG627]: user "bob" is not in the users file of basic-auth "a" (as read here), so it cannot pass this route; add it to the file with `htpasswd -s`, or fix the name
             3 |   host "*" { route /** { require basic-auth "a" users "alice", "bob" to catalog } } }
               |                                                                ^^^^^\
            """),
        row(
            "MG627",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 basic-auth "a" { users file "%s" }
              require basic-auth "a" host "*" { route /** { to catalog } } }
            """
                .formatted(md5),
            """
            t.mesh:2:57: warning[MG627]: %s:1: user "alice" has no {SHA} hash; Envoy accepts only those: make the line with `htpasswd -s` (as read here); `meshgate serve` would refuse this file and keep the users it last read
             2 | gateway edge { listen :8080 basic-auth "a" { users file "%s" }
               |                                                         %s\
            """
                .formatted(md5, md5, "^".repeat(md5.length() + 2))),
        row(
            "MG628",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 basic-auth "a" { users file "/etc/a.htpasswd" }
              api-keys "k" { keys file "/etc/k.keys" }
              require api-key "k" require basic-auth "a" host "*" { route /** { to catalog } } }
            """,
            """
            t.mesh:4:23: error[MG628]: `require basic-auth` and `require api-key` (at line 4) are written in the same place; both name the caller in x-meshgate-client, so a request can be authenticated by only one: keep one, or put them on different routes
             4 |   require api-key "k" require basic-auth "a" host "*" { route /** { to catalog } } }
               |                       ^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG633",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 basic-auth "a" { users file "/etc/a.htpasswd" }
              jwt-provider "p" { issuer "i" jwks file "/etc/k.jwks" }
              host "*" { require basic-auth "a" route /** { require jwt "p" to catalog } } }
            """,
            """
            t.mesh:4:49: error[MG633]: this route requires basic auth of basic-auth "a" (at line 4) and a JWT of jwt-provider "p" read from the Authorization header (at line 4), but a request has one Authorization header and cannot carry both, so every request is refused; have jwt-provider "p" read its token from another header or a cookie (`from header "x-jwt"`, `from cookie "token"`), or require only one of them here
             4 |   host "*" { require basic-auth "a" route /** { require jwt "p" to catalog } } }
               |                                                 ^^^^^^^^^^^^^^^\
            """),
        row(
            "MG633",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 api-keys "k" { keys file "/etc/k.keys" from header "Authorization" }
              jwt-provider "p" { issuer "i" jwks file "/etc/k.jwks" from header "authorization" prefix "Bearer " }
              require jwt "p" optional require api-key "k" host "*" { route /** { to catalog } } }
            """,
            """
            t.mesh:4:28: error[MG633]: gateway "edge" requires an API key of api-keys "k" read from the Authorization header (at line 4) and a JWT of jwt-provider "p" read from the Authorization header (at line 4), but a request has one Authorization header and cannot carry both, so no request can bring its `optional` JWT; have jwt-provider "p" read its token from another header or a cookie (`from header "x-jwt"`, `from cookie "token"`), or require only one of them here
             4 |   require jwt "p" optional require api-key "k" host "*" { route /** { to catalog } } }
               |                            ^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG671",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 api-keys "k" { keys file "/etc/k.keys" }
              host "*" { route /a/** { require api-key "k" to catalog } route /b/** { require api-key "k" to catalog } route /c/** { to catalog } } }
            """,
            """
            t.mesh:3:108: warning[MG671]: every other route of host "*" requires an API key, but this one is reachable without one; add `require api-key "…"`, or `require none` if it is public on purpose
             3 | …/a/** { require api-key "k" to catalog } route /b/** { require api-key "k" to catalog } route /c/** { to catalog } } }
               |                                                                                          ^^^^^^^^^^^\
            """),
        row(
            "MG671",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 basic-auth "a" { users file "/etc/a.htpasswd" } jwt-provider "p" { issuer "i" jwks file "/etc/k.jwks" }
              host "*" { route /a/** { require basic-auth "a" to catalog } route /b/** { require jwt "p" to catalog } route /c/** { require jwt "p" optional to catalog } } }
            """,
            """
            t.mesh:3:107: warning[MG671]: every other route of host "*" requires authentication (a JWT or a password), but this one is reachable without any (its JWT is `optional`); add a `require` like theirs, or `require none` if it is public on purpose
             3 | …th "a" to catalog } route /b/** { require jwt "p" to catalog } route /c/** { require jwt "p" optional to catalog } } }
               |                                                                 ^^^^^^^^^^^\
            """));
  }

  private static Arguments row(String code, String source, String rendered) {
    return Arguments.of(code, source, rendered);
  }
}
