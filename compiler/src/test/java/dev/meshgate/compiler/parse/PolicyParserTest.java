package dev.meshgate.compiler.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.ServiceDecl;
import dev.meshgate.compiler.ast.ServiceStmt;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyParserTest {

  private static ParsedFile parse(String text) {
    return PolicyParser.parse(new Source("t.mesh", text));
  }

  @Test
  void parsesTheContractExampleWithoutDiagnostics() {
    ParsedFile parsed =
        parse(
            """
            service catalog {
              source static 127.0.0.1:9101 labels version=v1 zone=a, 127.0.0.1:9102 labels version=v2
              protocol http
              subset v1 where version = "v1" and zone = "a"
            }
            gateway edge {
              listen :8080
              listen 127.0.0.1:8081
              host "api.shop.example" {
                route GET POST /catalog/** {
                  to catalog.v1 90%, catalog 10%
                  rewrite prefix "/catalog/" => "/"
                  timeout 2s
                  retry 3 on 5xx, reset per-try 500ms
                  set request-header "x-via" = "edge"
                  remove response-header "server"
                }
                route /search when query "q" ~ "^[a-z]+$" and header "x-beta" = "1" { to catalog }
                route ~ "^/v[0-9]+/items$" { redirect 301 "/items" }
                route /healthz { respond 200 }
              }
            }
            """);

    assertThat(parsed.diagnostics()).isEmpty();
    assertThat(parsed.file().complete()).isTrue();
    ServiceDecl service = (ServiceDecl) parsed.file().decls().get(0);
    var source = (ServiceStmt.StaticSource) service.body().get(0);
    assertThat(source.endpoints()).hasSize(2);
    assertThat(source.endpoints().get(0).labels())
        .extracting(ServiceStmt.Label::key)
        .containsExactly("version", "zone");
    GatewayDecl gateway = (GatewayDecl) parsed.file().decls().get(1);
    var host = (GatewayStmt.Host) gateway.body().get(2);
    RouteDecl first = host.routes().get(0);
    assertThat(first.methods()).extracting(n -> n.text()).containsExactly("GET", "POST");
    assertThat(first.body()).hasSize(6);
    var retry = (RouteStmt.Retry) first.body().get(3);
    assertThat(retry.on()).extracting(n -> n.text()).containsExactly("5xx", "reset");
    assertThat(retry.perTry()).hasValueSatisfying(d -> assertThat(d.text()).isEqualTo("500ms"));
    assertThat(host.routes().get(1).conditions()).hasSize(2);
    assertThat(host.routes().get(2).path()).isInstanceOf(RouteDecl.PathPattern.Regex.class);
  }

  @Test
  void spansPointAtTheConstruct() {
    ParsedFile parsed =
        parse(
            "gateway edge {\n  listen :8080\n  host \"*\" {\n    route GET /a when header \"x\" = \"1\" { respond 200 }\n  }\n}\n");

    var host = (GatewayStmt.Host) ((GatewayDecl) parsed.file().decls().get(0)).body().get(1);
    RouteDecl route = host.routes().get(0);
    // The route's span is its header: from `route` up to the brace.
    assertThat(route.span()).isEqualTo(new Span("t.mesh", 4, 5, 34));
    assertThat(route.body().get(0).span()).isEqualTo(new Span("t.mesh", 4, 42, 11));
    assertThat(host.host().span()).isEqualTo(new Span("t.mesh", 3, 8, 3));
  }

  @Test
  void keywordsAreNamesWhereANameIsExpected() {
    ParsedFile parsed =
        parse(
            """
            service source { source static host:80 labels route=to  subset to where route = "to" }
            service gateway { source static 127.0.0.1:81 }
            gateway route { listen :8080  host "*" { route /x { to source.to } route /y { to gateway } } }
            """);

    assertThat(parsed.diagnostics()).isEmpty();
    assertThat(parsed.file().decls())
        .extracting(d -> ((dev.meshgate.compiler.ast.NamedDecl) d).name().text())
        .containsExactly("source", "gateway", "route");
  }

  @Test
  void reportsSeveralErrorsInOneFileAndKeepsTheRest() {
    ParsedFile parsed =
        parse(
            """
            service catalog {
              source static 127.0.0.1
              protocol http
            }
            gateway edge {
              listen 8080
              host "*" {
                route /a { to catalog timeout 2 }
                route /b { redirect "/x" }
                route /c { to catalog }
              }
            }
            """);

    assertThat(parsed.diagnostics())
        .extracting(Diagnostic::code, d -> d.span().line(), Diagnostic::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("MG101", 3, "expected ':', found 'protocol'"),
            org.assertj.core.groups.Tuple.tuple(
                "MG101", 6, "expected ':' or an IP address like 127.0.0.1, found '8080'"),
            org.assertj.core.groups.Tuple.tuple(
                "MG101", 8, "expected a duration like 2s, or none, found '2'"),
            org.assertj.core.groups.Tuple.tuple(
                "MG101",
                9,
                "expected a redirect like 301 \"/new/\" or 301 https host \"b.example\" path \"/new\", found '\"/x\"'"));
    assertThat(parsed.file().complete()).isFalse();
    // What could be parsed is still there for the checker.
    var host = (GatewayStmt.Host) ((GatewayDecl) parsed.file().decls().get(1)).body().get(0);
    assertThat(host.routes())
        .extracting(r -> ((RouteDecl.PathPattern.Literal) r.path()).text())
        .containsExactly("/a", "/b", "/c");
  }

  @Test
  void unterminatedStringsAndStrayCharactersAreReportedOnce() {
    ParsedFile parsed =
        parse("gateway edge { listen :8080 ; host \"*\" { route /a { respond 200 \"ok\n} } }\n");

    assertThat(parsed.diagnostics()).extracting(Diagnostic::code).containsExactly("MG102", "MG103");
  }

  @Test
  void stringsResolveOnlyQuoteAndBackslashEscapes() {
    assertThat(AstBuilder.unquote("\"a\\\"b\\\\c\\d\"")).isEqualTo("a\"b\\c\\d");
    assertThat(AstBuilder.unquote("\"open")).isEqualTo("open");
    assertThat(AstBuilder.terminated("\"a\\\\\"")).isTrue();
    assertThat(AstBuilder.terminated("\"a\\\"")).isFalse();
  }

  @Test
  void emptyAndCommentOnlyFilesAreFine() {
    assertThat(parse("").diagnostics()).isEmpty();
    assertThat(parse("# nothing here\n\n  # at all").diagnostics()).isEmpty();
    assertThat(parse("").file().decls()).isEqualTo(List.of());
  }

  @Test
  void anErrorAtEndOfFilePointsAfterTheLastToken() {
    ParsedFile parsed = parse("gateway edge {\n  listen :8080\n\n\n");

    Diagnostic d = parsed.diagnostics().get(0);
    assertThat(d.span()).isEqualTo(new Span("t.mesh", 2, 15, 1));
    assertThat(d.message())
        .isEqualTo(
            "expected a route statement (to, redirect, respond, rewrite, timeout,"
                + " backend-timeout, retry, fault, set, add, remove, cors, mirror, hash-by, rate-limit,"
                + " compress, max-request-body, trace sample, ext-authz off, error-response, grpc-json, grpc-web), an authentication"
                + " statement (require jwt, require ext-authz, require api-key, require basic-auth, allow jwt,"
                + " deny jwt), a gateway statement (listen, host, certificate, jwt-provider, oidc-provider, ext-authz,"
                + " api-keys, basic-auth, zone, access-log,"
                + " max-request-headers, idle-timeout,"
                + " stream-idle-timeout, tracing) or '}', found end of file; a block opened with '{'"
                + " is not closed");
  }

  @org.junit.jupiter.api.Test
  void rulePathsMaySeparateWithACommaGluedToThePath() {
    var parsed =
        PolicyParser.parse(
            new dev.meshgate.compiler.Source(
                "t.mesh",
                "allow orders -> catalog GET HEAD /a/**, /b ,/c\ndeny dry-run * -> catalog\n"));

    org.assertj.core.api.Assertions.assertThat(parsed.diagnostics()).isEmpty();
    var allow = (dev.meshgate.compiler.ast.RuleDecl) parsed.file().decls().get(0);
    org.assertj.core.api.Assertions.assertThat(allow.paths())
        .extracting(p -> p.text())
        .containsExactly("/a/**", "/b", "/c");
    org.assertj.core.api.Assertions.assertThat(allow.methods())
        .extracting(m -> m.text())
        .containsExactly("GET", "HEAD");
    var deny = (dev.meshgate.compiler.ast.RuleDecl) parsed.file().decls().get(1);
    org.assertj.core.api.Assertions.assertThat(deny.isDryRun()).isTrue();
    org.assertj.core.api.Assertions.assertThat(deny.source().text()).isEqualTo("*");
  }
}
