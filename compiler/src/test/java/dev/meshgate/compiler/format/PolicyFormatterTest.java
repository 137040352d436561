package dev.meshgate.compiler.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.Source;
import org.junit.jupiter.api.Test;

class PolicyFormatterTest {

  private static String format(String text) {
    FormatResult result = PolicyFormatter.format(new Source("t.mesh", text));
    assertThat(result.diagnostics()).isEmpty();
    String once = result.formatted().orElseThrow();
    assertThat(PolicyFormatter.format(new Source("t.mesh", once)).formatted())
        .as("idempotent")
        .contains(once);
    return once;
  }

  @Test
  void messySpacingBecomesOneCanonicalLayout() {
    String messy =
        """
        service   catalog{source static 127.0.0.1:9101 labels version=v1 zone="a" ,127.0.0.1:9102 labels "version"="v2"
        protocol    http subset v1 where version="v1" and "zone" = "a"}
        gateway edge { listen :8080 listen 127.0.0.1:8081 host "api" { route GET   HEAD /catalog/** when header "x" ="1" and query "q"~"^a$" { to catalog.v1 90 %,catalog.v2 10% timeout 2s retry 3 on 5xx,reset per-try 500ms }
        route /healthz {respond 200 "ok"} route /x {} } }
        allow orders ->catalog GET /a/** ,/b
        allow * -> catalog
        deny dry-run edge -> orders DELETE
        call orders -> catalog {}
        call a -> b { timeout 1s }\
        """;
    assertThat(format(messy))
        .isEqualTo(
            """
            service catalog {
              source static 127.0.0.1:9101 labels version=v1 zone=a, 127.0.0.1:9102 labels version=v2
              protocol http
              subset v1 where version = "v1" and zone = "a"
            }

            gateway edge {
              listen :8080
              listen 127.0.0.1:8081
              host "api" {
                route GET HEAD /catalog/** when header "x" = "1" and query "q" ~ "^a$" {
                  to catalog.v1 90%, catalog.v2 10%
                  timeout 2s
                  retry 3 on 5xx, reset per-try 500ms
                }
                route /healthz { respond 200 "ok" }
                route /x {}
              }
            }

            allow orders -> catalog GET /a/**, /b
            allow * -> catalog
            deny dry-run edge -> orders DELETE
            call orders -> catalog

            call a -> b {
              timeout 1s
            }
            """);
  }

  @Test
  void commentsStayWithWhatTheyDescribe() {
    String text =
        """
        # header comment

        # about catalog
        service catalog {   # header trailing
            # before source
          source static 127.0.0.1:9101      # trailing source


        # after blank lines
          protocol http
              # end of service
        }   # after close
        # between decls
        gateway edge {
          host "*" {
            route /a { to catalog }   # a one-line route keeps its trailing comment
            route /b {
              # inside: the route stays multi-line
              to catalog
            }
            route /c { to catalog # on the statement
            }
          }
        }
        # footer
        """;
    assertThat(format(text))
        .isEqualTo(
            """
            # header comment

            # about catalog
            service catalog { # header trailing
              # before source
              source static 127.0.0.1:9101 # trailing source

              # after blank lines
              protocol http
              # end of service
            } # after close

            # between decls
            gateway edge {
              host "*" {
                route /a { to catalog } # a one-line route keeps its trailing comment
                route /b {
                  # inside: the route stays multi-line
                  to catalog
                }
                route /c {
                  to catalog # on the statement
                }
              }
            }
            # footer
            """);
  }

  @Test
  void aOneLineBlockWithAnIgnoreAtItsEndStaysOnOneLine() {
    // Suppression comments apply to their own line, and a finding inside the block may point at
    // any of its statements (MG410 at `retry`): expanding the block would unsilence it.
    String text =
        "gateway g { host \"*\" {\n    route /a { to a timeout 1s } # meshgate:ignore MG703 why\n  }\n}\n";
    assertThat(format(text))
        .isEqualTo(
            """
            gateway g {
              host "*" {
                route /a { to a timeout 1s } # meshgate:ignore MG703 why
              }
            }
            """);
  }

  @Test
  void aOneLineBlockThatIsExpandedKeepsItsEndOfLineCommentOnTheHeader() {
    String text =
        "gateway g { host \"*\" {\n    route /a { to a timeout 1s } # slow backend\n  }\n}\n";
    assertThat(format(text))
        .isEqualTo(
            """
            gateway g {
              host "*" {
                route /a { # slow backend
                  to a
                  timeout 1s
                }
              }
            }
            """);
  }

  @Test
  void formattingKeepsEveryIgnoreSilencingWhatItSilenced() throws Exception {
    Source suppressed =
        new Source(
            "suppressed.mesh",
            java.nio.file.Files.readString(
                java.nio.file.Path.of("src/test/resources/golden/analysis/suppressed.mesh")));
    Source printed =
        new Source("suppressed.mesh", PolicyFormatter.format(suppressed).formatted().orElseThrow());

    assertThat(dev.meshgate.compiler.Compiler.compile(java.util.List.of(printed)).diagnostics())
        .as(printed.text())
        .isEmpty();
  }

  @Test
  void blankLinesInsideBlocksAreKeptButNeverAfterOpenOrBeforeClose() {
    String text =
        """
        gateway edge {

          listen :8080



          host "*" {

            route /a { to a }

            # group two
            route /b { to b }

          }
        }
        """;
    assertThat(format(text))
        .isEqualTo(
            """
            gateway edge {
              listen :8080

              host "*" {
                route /a { to a }

                # group two
                route /b { to b }
              }
            }
            """);
  }

  @Test
  void stringsAreRequotedFromTheirValue() {
    String text =
        """
        gateway edge {
          host "*" {
            route ~ "^/v[0-9]+\\\\.json$" { respond 200 "say \\"hi\\"" }
            route /b { to b  set request-header "x" = "a\\\\" }
          }
        }
        """;
    assertThat(format(text))
        .isEqualTo(
            """
            gateway edge {
              host "*" {
                route ~ "^/v[0-9]+\\.json$" { respond 200 "say \\"hi\\"" }
                route /b {
                  to b
                  set request-header "x" = "a\\\\"
                }
              }
            }
            """);
  }

  @Test
  void labelsAreQuotedOnlyWhenABareWordWouldNotReadBack() {
    String text =
        """
        service s {
          source static 127.0.0.1:1 labels "app.kubernetes.io/name"="x" "GET"="1.2" port="8080" kind="5xx" empty=""
          subset a where "GET" = "v" and "k.x" = "y"
        }
        """;
    assertThat(format(text))
        .isEqualTo(
            """
            service s {
              source static 127.0.0.1:1 labels "app.kubernetes.io/name"=x "GET"="1.2" port=8080 kind=5xx empty=""
              subset a where "GET" = "v" and "k.x" = "y"
            }
            """);
  }

  @Test
  void meshSourcesAndSidecars() {
    String text =
        """
        mesh { trust-domain "shop.example" mtls   strict authz default deny }
        mesh shop {}
        service a { source consul "a"   tag "t" datacenter "dc1"
          sidecar { inbound :15101 app 127.0.0.1:9101 } }
        service b { source kubernetes "shop/b" port   8080 }
        """;
    assertThat(format(text))
        .isEqualTo(
            """
            mesh {
              trust-domain "shop.example"
              mtls strict
              authz default deny
            }

            mesh shop {}

            service a {
              source consul "a" datacenter "dc1" tag "t"
              sidecar {
                inbound :15101
                app 127.0.0.1:9101
              }
            }

            service b {
              source kubernetes "shop/b" port 8080
            }
            """);
  }

  @Test
  void testBlocks() {
    String text =
        """
        test "canary"{expect GET api.shop.example /catalog/items via edge=>catalog.v1 90%,catalog.v2 10% with request-header "x-via"="edge"
        expect GET a/b via edge => b
          with response-header "x" = "1"
        expect orders -> catalog GET /items/1 => allowed   # east-west
        expect POST "api.shop.example"/orders via edge with header "a"="b" with query "q" = "1" with jwt => 404
        expect 127.0.0.1/old/x via edge => redirect 301 "/new/" }
        """;
    assertThat(format(text))
        .isEqualTo(
            """
            test "canary" {
              expect GET api.shop.example/catalog/items via edge => catalog.v1 90%, catalog.v2 10%
                with request-header "x-via" = "edge"
              expect GET a/b via edge => b with response-header "x" = "1"
              expect orders -> catalog GET /items/1 => allowed # east-west
              expect POST "api.shop.example"/orders via edge with header "a" = "b" with query "q" = "1" with jwt => 404
              expect 127.0.0.1/old/x via edge => redirect 301 "/new/"
            }
            """);
  }

  @Test
  void aRouteTooLongForOneLineIsPrintedAsABlock() {
    String text =
        """
        gateway edge { host "*" { route GET /a/very/long/path/that/goes/on/and/on/** when header "x-some-long-header" = "some-long-value" { to catalog } } }
        """;
    assertThat(format(text))
        .isEqualTo(
            """
            gateway edge {
              host "*" {
                route GET /a/very/long/path/that/goes/on/and/on/** when header "x-some-long-header" = "some-long-value" {
                  to catalog
                }
              }
            }
            """);
  }

  @Test
  void lineEndingsAndTrailingWhitespaceAreNormalised() {
    assertThat(format("allow a -> b   # why   \r\nallow c -> d"))
        .isEqualTo("allow a -> b # why\nallow c -> d\n");
    assertThat(format("")).isEmpty();
    assertThat(format("\n\n# only a comment\n\n")).isEqualTo("# only a comment\n");
  }

  @Test
  void callWithCommentInEmptyBodyKeepsItsBraces() {
    assertThat(format("call a -> b {\n  # nothing yet\n}\nallow a -> b\n"))
        .isEqualTo("call a -> b {\n  # nothing yet\n}\n\nallow a -> b\n");
  }

  @Test
  void aFileWithSyntaxErrorsIsRefusedNotRewritten() {
    FormatResult result =
        PolicyFormatter.format(
            new Source("broken.mesh", "service a {\n  source static\n}\nroute ;\n"));
    assertThat(result.formatted()).isEmpty();
    assertThat(result.changed()).isFalse();
    assertThat(result.diagnostics()).isNotEmpty().allMatch(Diagnostic::isError);
    assertThat(result.diagnostics())
        .extracting(Diagnostic::code)
        .allMatch(code -> code.startsWith("MG1"));
  }

  @Test
  void changedSaysWhetherTheTextDiffers() {
    assertThat(PolicyFormatter.format(new Source("a.mesh", "allow a -> b\n")).changed()).isFalse();
    assertThat(PolicyFormatter.format(new Source("a.mesh", "allow a ->  b\n")).changed()).isTrue();
  }
}
