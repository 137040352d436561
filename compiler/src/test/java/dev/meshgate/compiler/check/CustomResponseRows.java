package dev.meshgate.compiler.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Pinned diagnostics of custom error responses (issue 13). */
final class CustomResponseRows {
  private CustomResponseRows() {}

  static final String SERVICE =
      """
      service catalog { source static 127.0.0.1:9101 }
      """;

  /** A body one byte over the limit, written where the tests run (the module directory). */
  private static final String LARGE = "target/error-bodies/large.html";

  static Stream<Arguments> rows() {
    try {
      Files.createDirectories(Path.of(LARGE).getParent());
      Files.writeString(Path.of(LARGE), "x".repeat(64 * 1024 + 1));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Stream.of(
        Arguments.of(
            "MG470",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  error-response 5xx, 302 text "oops"
                  host "a" { route /a { to catalog } }
                }
                """,
            """
            t.mesh:4:23: error[MG470]: "302" is not an error status; write a code from 400 to 599 like 404, or a class: 4xx, 5xx
             4 |   error-response 5xx, 302 text "oops"
               |                       ^^^\
            """),
        Arguments.of(
            "MG471",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  error-response 5xx json "{\\"error\\": \\"%stauts%\\"}"
                  host "a" { route /a { to catalog } }
                }
                """,
            """
            t.mesh:4:27: error[MG471]: unknown placeholder %stauts% in the error body; did you mean %status%? the placeholders are %status%, %request-id%, %details% (write %% for a percent sign)
             4 |   error-response 5xx json "{\\"error\\": \\"%stauts%\\"}"
               |                           ^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG472",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  error-response 5xx json "{\\"error\\": %status%}"
                  host "a" { route /a { to catalog } }
                }
                """,
            """
            t.mesh:4:27: error[MG472]: the json error body is not valid JSON (line 1, column 11); placeholders go inside strings, like {"status": "%status%"}
             4 |   error-response 5xx json "{\\"error\\": %status%}"
               |                           ^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG473",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  host "a" {
                    error-response 404 html file "missing.html"
                    route /a { to catalog }
                  }
                }
                """,
            """
            t.mesh:5:34: error[MG473]: cannot read error body file "missing.html" (missing.html); the file is read when the policy compiles, relative to the policy file
             5 |     error-response 404 html file "missing.html"
               |                                  ^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG474",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  error-response 5xx, 404 text "a"
                  error-response 404 text "b"
                  host "a" { route /a { to catalog } }
                }
                """,
            """
            t.mesh:5:18: error[MG474]: status 404 already has an error response here (line 4); keep one of them
             5 |   error-response 404 text "b"
               |                  ^^^\
            """),
        Arguments.of(
            "MG475",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  error-response 5xx xml "<error/>"
                  host "a" { route /a { to catalog } }
                }
                """,
            """
            t.mesh:4:22: error[MG475]: unknown error response format "xml"; use json (application/json), html (text/html) or text (text/plain)
             4 |   error-response 5xx xml "<error/>"
               |                      ^^^\
            """),
        Arguments.of(
            "MG476",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  host "a" {
                    error-response off
                    error-response 5xx text "down"
                    route /a { to catalog }
                  }
                }
                """,
            """
            t.mesh:5:5: error[MG476]: `error-response off` drops the error responses inherited here, but this place also writes its own; keep either `off` or the error responses
             5 |     error-response off
               |     ^^^^^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG477",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  error-response 5xx html file "target/error-bodies/large.html"
                  host "a" { route /a { to catalog } }
                }
                """,
            """
            t.mesh:4:32: error[MG477]: this error body has 65537 bytes; at most 65536 fit (every route that uses it carries it in Envoy's route table): link styles and images instead of inlining them
             4 |   error-response 5xx html file "target/error-bodies/large.html"
               |                                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG478",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  host "a" {
                    route /a { to catalog }
                    route /b { respond 404 "gone"  error-response 404 text "nope" }
                  }
                }
                """,
            """
            t.mesh:6:36: warning[MG478]: this route answers itself (respond or redirect), and its own answer is never replaced: this error-response does nothing; remove it
             6 |     route /b { respond 404 "gone"  error-response 404 text "nope" }
               |                                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """));
  }
}
