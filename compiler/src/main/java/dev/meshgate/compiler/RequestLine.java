package dev.meshgate.compiler;

import dev.meshgate.compiler.ast.Decl;
import dev.meshgate.compiler.ast.TestDecl;
import dev.meshgate.compiler.parse.ParsedFile;
import dev.meshgate.compiler.parse.PolicyParser;
import dev.meshgate.compiler.simulate.PolicyTest;
import dev.meshgate.compiler.simulate.PolicyTests;
import dev.meshgate.compiler.simulate.TestRequest;
import java.util.List;

/**
 * One request written as the request of a test block's {@code expect} (docs/language.md, "Policy
 * tests"): {@code GET api.example/catalog/items via edge with header "x-canary" = "true"} or {@code
 * orders -> catalog DELETE /items/1}. What {@code meshgate explain} sends to a running server,
 * which simulates it over the policy it serves.
 *
 * <p>The text is parsed by the policy grammar itself, inside a one-expectation test block, so the
 * syntax is exactly the test blocks' and stays so as the language grows.
 */
public final class RequestLine {
  private static final String PREFIX = "test \"explain\" {\n  expect ";
  private static final int COLUMN_OFFSET = "  expect ".length();

  private RequestLine() {}

  /** A parsed request, or why the text is not one. */
  public sealed interface Parsed {}

  public record Request(TestRequest request) implements Parsed {}

  /** {@code message} names the column of {@code text} the parser stopped at. */
  public record Invalid(String message) implements Parsed {}

  public static Parsed parse(String text) {
    String line = text.strip();
    if (line.isEmpty()) {
      return new Invalid(
          "no request given; write it as in a test block, like 'GET api.example/path via edge'");
    }
    if (line.contains("\n") || line.contains("\r")) {
      return new Invalid("a request is one line");
    }
    if (line.contains("=>")) {
      return new Invalid("write only the request, without \"=> OUTCOME\"");
    }
    Source source = new Source("request", PREFIX + line + "\n  => 200\n}\n");
    ParsedFile parsed = PolicyParser.parse(source);
    for (Diagnostic d : parsed.diagnostics()) {
      if (d.isError()) {
        return new Invalid(describe(d, line));
      }
    }
    List<Decl> decls = parsed.file().decls();
    if (decls.size() == 1 && decls.getFirst() instanceof TestDecl) {
      List<PolicyTest> tests = PolicyTests.collect(List.of(parsed.file()));
      if (tests.size() == 1 && tests.getFirst().expectations().size() == 1) {
        return new Request(tests.getFirst().expectations().getFirst().request());
      }
    }
    return new Invalid(
        "not one request: write it as in a test block, like 'GET api.example/path via edge' or"
            + " 'orders -> catalog GET /items/1'");
  }

  private static String describe(Diagnostic d, String line) {
    if (d.span().line() == 2 && d.span().column() > COLUMN_OFFSET) {
      int column = d.span().column() - COLUMN_OFFSET;
      return "column " + column + ": " + d.message();
    }
    // The parser ran past the end of the request (it wanted more, like "via GATEWAY").
    return "at the end of \"" + line + "\": " + d.message();
  }
}
