package dev.meshgate.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.simulate.TestRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code meshgate explain}'s request: the test blocks' request syntax, one line. */
class RequestLineTest {

  static TestRequest request(String text) {
    RequestLine.Parsed parsed = RequestLine.parse(text);
    assertThat(parsed).as(parsed.toString()).isInstanceOf(RequestLine.Request.class);
    return ((RequestLine.Request) parsed).request();
  }

  static String invalid(String text) {
    RequestLine.Parsed parsed = RequestLine.parse(text);
    assertThat(parsed).as(parsed.toString()).isInstanceOf(RequestLine.Invalid.class);
    return ((RequestLine.Invalid) parsed).message();
  }

  @Test
  void aGatewayRequestWithHeadersAndQuery() {
    TestRequest r =
        request(
            "POST api.example/catalog/items via edge with header \"X-Canary\" = \"true\""
                + " with query \"page\" = \"2\"");
    assertThat(r)
        .isEqualTo(
            new TestRequest.ViaGateway(
                "edge",
                "POST",
                "api.example",
                "/catalog/items",
                List.of(new TestRequest.Param("x-canary", "true")),
                List.of(new TestRequest.Param("page", "2")),
                false));
    assertThat(request("api.example/ via edge").method()).isEqualTo("GET");
  }

  @Test
  void anEastWestCall() {
    assertThat(request("orders -> catalog DELETE /items/1"))
        .isEqualTo(
            new TestRequest.Call(
                "orders", "catalog", "DELETE", "/items/1", List.of(), List.of(), false));
  }

  @Test
  void whatIsNotARequestSaysWhere() {
    assertThat(invalid("")).startsWith("no request given");
    assertThat(invalid("GET api.example/x")).startsWith("at the end of \"GET api.example/x\": ");
    assertThat(invalid("GET api.example/x via edge => 200"))
        .isEqualTo("write only the request, without \"=> OUTCOME\"");
    assertThat(invalid("GET api.example/x vai edge")).startsWith("column 19: ");
    assertThat(invalid("GET api.example/x via edge } service x {")).startsWith("column ");
    assertThat(invalid("a\nb")).isEqualTo("a request is one line");
  }
}
