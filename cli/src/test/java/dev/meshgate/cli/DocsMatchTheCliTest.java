package dev.meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every {@code meshgate COMMAND --option} the README and docs show exists in the command line as
 * built, so a renamed or removed option cannot leave a page that tells users to type it.
 */
class DocsMatchTheCliTest {
  private static final Path ROOT = Path.of(System.getProperty("meshgate.project.root", ".."));

  /**
   * {@code meshgate check …} up to the end of the code span, the line, a table cell, a shell
   * operator or a comment.
   */
  private static final Pattern COMMAND =
      Pattern.compile("meshgate ((?:[a-z]+ )?[a-z]+)((?:[^`\\n|&>;#]|\\\\\\|)*)");

  private static final Pattern OPTION =
      Pattern.compile("(?<![\\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])\\b");

  private static List<Path> pages() throws IOException {
    List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"));
        Stream<Path> examples = Files.walk(ROOT.resolve("examples"), 2)) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
      examples
          .filter(p -> p.getFileName().toString().equals("README.md"))
          .sorted()
          .forEach(pages::add);
    }
    return pages;
  }

  @Test
  void everyCommandAndOptionInTheDocsExists() throws IOException {
    CommandLine cli =
        Meshgate.commandLine(
            new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Path page : pages()) {
      String text = Files.readString(page);
      Matcher m = COMMAND.matcher(text);
      while (m.find()) {
        String[] words = m.group(1).split(" ");
        CommandLine command = cli.getSubcommands().get(words[0]);
        if (command == null) {
          if (looksLikeACommand(words[0])) {
            problems.add(page.getFileName() + ": no command 'meshgate " + words[0] + "'");
          }
          continue;
        }
        String rest = m.group(2);
        if (words.length > 1) {
          CommandLine sub = command.getSubcommands().get(words[1]);
          if (sub != null) {
            command = sub;
          } else {
            rest = words[1] + rest;
          }
        }
        Matcher o = OPTION.matcher(rest);
        while (o.find()) {
          checked++;
          if (command.getCommandSpec().findOption(o.group(1)) == null) {
            problems.add(
                page.getFileName()
                    + ": 'meshgate "
                    + command.getCommandSpec().qualifiedName().substring("meshgate ".length())
                    + "' has no option "
                    + o.group(1)
                    + " (in: "
                    + m.group().strip()
                    + ")");
          }
        }
      }
    }
    assertThat(checked).as("options found in the docs").isGreaterThan(50);
    assertThat(problems).isEmpty();
  }

  /**
   * docs/operations.md is followed by people debugging in a hurry: every {@code meshgate …} line of
   * its code blocks must parse as written (command, subcommand, options and their values), not just
   * name options that exist.
   */
  @Test
  void everyCommandLineInTheOperationsGuideParses() throws IOException {
    List<String> problems = new ArrayList<>();
    List<List<String>> lines = operationsCommandLines();
    for (List<String> args : lines) {
      CommandLine cli =
          Meshgate.commandLine(
              new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
      try {
        CommandLine.ParseResult parsed = cli.parseArgs(args.toArray(String[]::new));
        if (!parsed.hasSubcommand()) {
          problems.add("no command in: meshgate " + String.join(" ", args));
        }
      } catch (CommandLine.ParameterException e) {
        problems.add("meshgate " + String.join(" ", args) + ": " + e.getMessage());
      }
    }
    assertThat(lines).as("meshgate command lines in operations.md").hasSizeGreaterThan(15);
    assertThat(problems).isEmpty();
  }

  private static final Pattern FENCE = Pattern.compile("(?ms)^```[a-z]*\\n(.*?)^```");
  private static final Pattern INVOCATION = Pattern.compile("(?:^|[\\s(/])meshgate[ \\t]+(.*)$");

  /** The arguments of each {@code meshgate} invocation in a fenced block of operations.md. */
  static List<List<String>> operationsCommandLines() throws IOException {
    String text = Files.readString(ROOT.resolve("docs/operations.md"));
    List<List<String>> lines = new ArrayList<>();
    Matcher block = FENCE.matcher(text);
    while (block.find()) {
      for (String line : block.group(1).split("\\n")) {
        Matcher m = INVOCATION.matcher(line);
        if (m.find()) {
          lines.add(shellWords(m.group(1)));
        }
      }
    }
    return lines;
  }

  /**
   * Words as a POSIX shell splits them (quotes removed), up to the end of the command: a pipe, a
   * redirection, {@code ;}, {@code &&}, a comment or the {@code )} closing {@code $(…)}.
   */
  static List<String> shellWords(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\'' || c == '"') {
        int end = line.indexOf(c, i + 1);
        word.append(line, i + 1, end < 0 ? line.length() : end);
        i = end < 0 ? line.length() : end;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else if ("|;&)".indexOf(c) >= 0 || (c == '#' && !inWord)) {
        break;
      } else if (c == '>') { // unquoted, "orders -> catalog" is a redirection in a shell too
        if (inWord && word.toString().matches("\\d+")) {
          inWord = false; // the 2 of 2>&1
        }
        break;
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return words;
  }

  /** Prose such as "meshgate plan" is a command; "meshgate is" or "meshgate and" are not. */
  private static boolean looksLikeACommand(String word) {
    return List.of("status", "lint", "validate", "diff", "init", "run", "version").contains(word);
  }
}
