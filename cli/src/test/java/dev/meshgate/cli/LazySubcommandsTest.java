package dev.meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A run builds only the command it names (issue 17.4), and that changes nothing it prints. */
class LazySubcommandsTest {
  private static final List<Class<?>> ALL = Meshgate.needed();

  @Test
  void aRunBuildsOnlyTheCommandItNames() {
    assertThat(Meshgate.needed("check", "policy/")).containsExactly(CheckCommand.class);
    assertThat(Meshgate.needed("serve", "--demo")).containsExactly(ServeCommand.class);
    assertThat(Meshgate.needed("--version")).isEmpty();
    assertThat(ALL).hasSize(15).contains(CheckCommand.class, VersionCommand.class);
  }

  @Test
  void helpCompletionOptionsFirstAndUnknownWordsGetEveryCommand() {
    for (String[] args :
        List.of(
            new String[] {"help", "check"},
            new String[] {"generate-completion"},
            new String[] {"--color=never", "check", "x"},
            new String[] {"chek"},
            new String[] {"--help"},
            new String[] {})) {
      assertThat(Meshgate.needed(args)).as(String.join(" ", args)).isEqualTo(ALL);
    }
  }

  @Test
  void aCommandBuiltAloneBehavesAsInTheWholeTree() {
    for (String[] args :
        List.of(
            new String[] {"check", "--help"},
            new String[] {"compile", "--help"},
            new String[] {"serve", "--help"},
            new String[] {"check", "--no-such-option"},
            new String[] {"--version"})) {
      StringWriter aloneOut = new StringWriter();
      StringWriter aloneErr = new StringWriter();
      int alone =
          Meshgate.run(new PrintWriter(aloneOut, true), new PrintWriter(aloneErr, true), args);
      StringWriter allOut = new StringWriter();
      StringWriter allErr = new StringWriter();
      int all =
          Meshgate.run(
              Meshgate.commandLine(new PrintWriter(allOut, true), new PrintWriter(allErr, true)),
              args);
      String what = String.join(" ", args);
      assertThat(alone).as(what).isEqualTo(all);
      assertThat(aloneOut.toString()).as(what).isEqualTo(allOut.toString());
      assertThat(aloneErr.toString()).as(what).isEqualTo(allErr.toString());
      assertThat(aloneOut.toString() + aloneErr.toString()).as(what).isNotEmpty();
    }
  }
}
