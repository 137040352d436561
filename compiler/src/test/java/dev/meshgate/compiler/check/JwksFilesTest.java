package dev.meshgate.compiler.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.Source;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * jwt (issue 12): a readable {@code jwks file} is checked for private keys (MG674) and its shape
 * (MG675); a public one, or one that is not on this host, is no error (the exact texts are pinned
 * in {@link JwtDiagnosticRows}).
 */
class JwksFilesTest {
  @ParameterizedTest
  @CsvSource({
    "src/test/resources/jwks/public.jwks.json, ''",
    "src/test/resources/jwks/missing.jwks.json, ''",
    "src/test/resources/jwks/private.jwks.json, MG674",
    "src/test/resources/jwks/not-a-jwks.json, MG675",
  })
  void aJwksFileIsRefusedOnlyWhenItHoldsAPrivateKeyOrIsNoJwks(String file, String code) {
    String policy =
        """
        service catalog { source static 127.0.0.1:9101 }
        gateway edge { listen :8080 jwt-provider "p" { issuer "i" jwks file "%s" }
          require jwt "p" host "*" { route /** { to catalog } } }
        """
            .formatted(file);

    List<String> codes =
        Compiler.compile(List.of(new Source("t.mesh", policy))).diagnostics().stream()
            .map(Diagnostic::code)
            .toList();

    assertThat(codes).isEqualTo(code.isEmpty() ? List.of() : List.of(code));
  }
}
