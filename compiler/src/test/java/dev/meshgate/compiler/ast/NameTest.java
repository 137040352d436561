package dev.meshgate.compiler.ast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.parse.PolicyParser;
import org.junit.jupiter.api.Test;

class NameTest {

  @Test
  void equalNamesShareOneTextSoLookUpsCompareThemByIdentity() {
    // new String: two instances with equal characters, as two parses of a name give
    Name a = new Name(new String("checkout"), new Span("a.mesh", 1, 1, 8));
    Name b = new Name(new String("checkout"), new Span("b.mesh", 2, 1, 8));

    assertThat(a.text()).isSameAs(b.text());
    assertThat(a).isNotEqualTo(b); // still two names: where they are written differs
  }

  @Test
  void aServiceNamedInTwoFilesIsOneTextInBothSyntaxTrees() {
    ServiceDecl declared =
        (ServiceDecl)
            PolicyParser.parse(
                    new Source("a.mesh", "service checkout {\n  source static 127.0.0.1:9101\n}\n"))
                .file()
                .decls()
                .getFirst();
    CallDecl call =
        (CallDecl)
            PolicyParser.parse(new Source("b.mesh", "call cart -> checkout { timeout 1s }\n"))
                .file()
                .decls()
                .getFirst();

    assertThat(call.callee().text()).isSameAs(declared.name().text());
  }
}
