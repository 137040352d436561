package dev.meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** A run builds only the command it names (issue 17.4), and that changes nothing it prints. */
class CommandsTest {
  private static final List<String> ALL = Commands.ALL.stream().map(Commands.Entry::name).toList();

  @Test
  void theTableNamesEachCommandWithItsOwnHeaderInHelpOrder() {
    CommandLine whole =
        Meshgate.commandLine(
            new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    assertThat(whole.getSubcommands().keySet()).containsExactlyElementsOf(ALL);
    for (Commands.Entry entry : Commands.ALL) {
      CommandLine.Model.UsageMessageSpec usage =
          whole.getSubcommands().get(entry.name()).getCommandSpec().usageMessage();
      // The top-level help lists a command's header, else the first line of its description.
      String listed = usage.header().length > 0 ? usage.header()[0] : usage.description()[0];
      assertThat(entry.header()).as(entry.name()).isEqualTo(listed);
    }
  }

  @Test
  void aRunBuildsOnlyTheCommandItNames() {
    assertThat(Commands.needed("check", "policy/")).containsExactly("check");
    assertThat(Commands.needed("--color=never", "check", "-", "--werror")).containsExactly("check");
    assertThat(Commands.needed("serve", "--demo")).containsExactly("serve");
    assertThat(Commands.needed("help", "check")).containsExactly("help", "check");
    assertThat(Commands.needed("ca", "init", "--ca-dir", "x")).containsExactly("ca");
    assertThat(Commands.needed("--version")).isEmpty();
    assertThat(Commands.needed("--help")).isEmpty();
    assertThat(Commands.needed()).isEmpty();
  }

  @Test
  void completionAndAFirstWordThatIsNoCommandBuildEveryCommand() {
    assertThat(Commands.needed("generate-completion")).isEqualTo(ALL);
    assertThat(Commands.needed("chek", "x")).isEqualTo(ALL);
    // --color's value, not a command: only the whole tree parses this as before.
    assertThat(Commands.needed("--color", "never", "check", "x")).isEqualTo(ALL);
    assertThat(Commands.needed("help", "chek")).isEqualTo(ALL);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "--help",
        "help",
        "--version",
        "-V",
        "chek",
        "--no-such-option",
        "--color=never",
        "--color never check no-such-dir",
        "--color=never check no-such-dir",
        "check --help",
        "check no-such-dir",
        "check --no-such-option",
        "check",
        "help check",
        "help serve",
        "help chek",
        "serve --help",
        "ca --help",
        "ca init --help",
        "ca chek",
        "bundle --help",
        "compile --help",
        "generate-completion",
        "version --help",
      })
  void aRunPrintsWhatTheWholeTreePrints(String line) {
    String[] args = line.isEmpty() ? new String[0] : line.split(" ");
    StringWriter lazyOut = new StringWriter();
    StringWriter lazyErr = new StringWriter();
    int lazy = Meshgate.run(new PrintWriter(lazyOut, true), new PrintWriter(lazyErr, true), args);
    StringWriter wholeOut = new StringWriter();
    StringWriter wholeErr = new StringWriter();
    int whole =
        Meshgate.run(
            Meshgate.commandLine(new PrintWriter(wholeOut, true), new PrintWriter(wholeErr, true)),
            args);
    assertThat(lazy).as(line).isEqualTo(whole);
    assertThat(lazyOut.toString()).as(line).isEqualTo(wholeOut.toString());
    assertThat(lazyErr.toString()).as(line).isEqualTo(wholeErr.toString());
    assertThat(lazyOut.toString() + lazyErr.toString()).as(line).isNotEmpty();
  }
}
