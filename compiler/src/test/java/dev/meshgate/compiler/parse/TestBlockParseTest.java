package dev.meshgate.compiler.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.ast.ExpectStmt;
import dev.meshgate.compiler.ast.TestDecl;
import org.junit.jupiter.api.Test;

/** {@code test "…" { expect … }} parses into {@link TestDecl} and {@link ExpectStmt}. */
class TestBlockParseTest {

  static TestDecl parse(String text) {
    ParsedFile parsed = PolicyParser.parse(new Source("t.mesh", text));
    assertThat(parsed.diagnostics()).isEmpty();
    return (TestDecl) parsed.file().decls().getFirst();
  }

  @Test
  void gatewayExpectationWithEveryPart() {
    TestDecl test =
        parse(
            """
            test "canary" {
              expect POST api.shop.example/catalog/items via edge with header "x-canary" = "true" with query "q" = "a b"
                => catalog.v1 90%, catalog.v2 10%
                with request-header "x-via" = "edge" with response-header "x-served-by" = "meshgate"
            }
            """);
    assertThat(test.name().value()).isEqualTo("canary");
    ExpectStmt e = test.expects().getFirst();
    var request = (ExpectStmt.Request.Gateway) e.request();
    assertThat(request.method()).get().extracting(m -> m.text()).isEqualTo("POST");
    assertThat(request.host())
        .extracting(ExpectStmt.Host::text, ExpectStmt.Host::quoted)
        .containsExactly("api.shop.example", false);
    assertThat(request.path().text()).isEqualTo("/catalog/items");
    assertThat(request.gateway().text()).isEqualTo("edge");
    assertThat(e.options()).hasSize(2);
    assertThat(e.options().get(0)).isInstanceOf(ExpectStmt.Option.Header.class);
    assertThat(((ExpectStmt.Option.Query) e.options().get(1)).value().value()).isEqualTo("a b");
    var targets = (ExpectStmt.Outcome.Targets) e.outcome();
    assertThat(targets.targets())
        .extracting(t -> t.cluster())
        .containsExactly("catalog.v1", "catalog.v2");
    assertThat(e.checks())
        .extracting(ExpectStmt.HeaderCheck::response)
        .containsExactly(false, true);
    assertThat(e.span().line()).isEqualTo(2);
    assertThat(e.outcome().span().line()).isEqualTo(3);
  }

  @Test
  void everyOutcomeAndRequestKind() {
    TestDecl test =
        parse(
            """
            test "kinds" {
              expect api.example/ via edge => 404
              expect GET "api.example:8080"/old via edge => redirect 301 "/new/"
              expect GET 10.0.0.1/x via internal => catalog
              expect orders -> catalog GET /items/1 => allowed
              expect orders -> catalog /x => denied
              expect orders -> catalog DELETE /x with header "x-a" = "b" => 403
              expect GET test.example/x via edge with jwt => catalog
            }
            """);
    assertThat(test.expects()).hasSize(7);
    assertThat(test.expects().get(0).request().method()).isEmpty();
    assertThat(test.expects().get(0).outcome()).isInstanceOf(ExpectStmt.Outcome.Status.class);
    assertThat(((ExpectStmt.Request.Gateway) test.expects().get(1).request()).host().quoted())
        .isTrue();
    assertThat(test.expects().get(1).outcome()).isInstanceOf(ExpectStmt.Outcome.Redirect.class);
    assertThat(((ExpectStmt.Request.Gateway) test.expects().get(2).request()).host().text())
        .isEqualTo("10.0.0.1");
    var call = (ExpectStmt.Request.Call) test.expects().get(3).request();
    assertThat(call.caller().text()).isEqualTo("orders");
    assertThat(call.callee().text()).isEqualTo("catalog");
    assertThat(((ExpectStmt.Outcome.Verdict) test.expects().get(3).outcome()).allowed()).isTrue();
    assertThat(((ExpectStmt.Outcome.Verdict) test.expects().get(4).outcome()).allowed()).isFalse();
    assertThat(test.expects().get(6).options())
        .singleElement()
        .isInstanceOf(ExpectStmt.Option.Jwt.class);
  }

  @Test
  void keywordsOfTestsStayUsableAsNames() {
    ParsedFile parsed =
        PolicyParser.parse(
            new Source(
                "t.mesh",
                "service test { source static 127.0.0.1:1 }\nservice via { source static 127.0.0.1:2 }\n"));
    assertThat(parsed.diagnostics()).isEmpty();
    assertThat(parsed.file().decls()).hasSize(2);
  }
}
