package dev.meshgate.compiler.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.ir.ErrorBodyTemplate;
import dev.meshgate.compiler.ir.ErrorBodyTemplate.Part;
import dev.meshgate.compiler.ir.ErrorBodyTemplate.Placeholder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** custom responses (issue 13): placeholders, percent signs, and bodies read from files. */
class CustomResponsesTest {
  @Test
  void placeholdersBecomeCommandOperatorsAndEveryLiteralPercentIsEscaped() {
    assertThat(CustomResponses.text("%status% at 100% (%request-id%, %details%) 50%% off"))
        .isEqualTo(
            "%RESPONSE_CODE% at 100%% (%REQ(X-REQUEST-ID)%, %RESPONSE_CODE_DETAILS%) 50%% off");
  }

  @Test
  void aBodySplitsIntoTextPlaceholdersAndUnknownWords() {
    assertThat(ErrorBodyTemplate.parse("a %status% b %stat% c 10%"))
        .containsExactly(
            new Part.Text("a "),
            new Part.Field(Placeholder.STATUS),
            new Part.Text(" b "),
            new Part.Unknown("stat", 13),
            new Part.Text(" c 10%"));
  }

  @Test
  void aFileBodyIsReadNextToThePolicyWhenItCompiles(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("errors"));
    Files.writeString(dir.resolve("errors/5xx.html"), "<p>down: %status%</p>");
    Path policy = dir.resolve("edge.mesh");
    String text =
        """
        service api { source static 127.0.0.1:9001 }
        gateway edge {
          listen :8080
          host "a" {
            error-response 5xx html file "errors/5xx.html"
            route /** { to api }
          }
        }
        """;

    var compilation = Compiler.compile(List.of(new Source(policy.toString(), text)));

    assertThat(compilation.diagnostics()).isEmpty();
    var route = compilation.policy().orElseThrow().ir().gateways().getFirst().hosts().getFirst();
    assertThat(route.routes().getFirst().errorResponses())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo("5xx");
              assertThat(r.body()).isEqualTo("<p>down: %status%</p>");
            });
  }
}
