package dev.meshgate.cli;

import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;

/** {@code --color}: ANSI colors on rendered diagnostics, for people at a terminal. */
final class Colors {
  private static final String RED = "\u001b[1;31m";
  private static final String YELLOW = "\u001b[1;33m";
  private static final String BOLD = "\u001b[1m";
  private static final String RESET = "\u001b[0m";
  private static final Pattern CARETS = Pattern.compile("^( *\\| *)(\\^+)(.*)$");

  /** The three choices of {@code --color}. */
  enum When {
    auto,
    always,
    never
  }

  private Colors() {}

  /** Whether the command line of {@code spec} asks for color here and now. */
  static boolean enabled(CommandSpec spec) {
    // Inherited by every command, so its value sits with whichever command line it was given on.
    When when = When.auto;
    for (var parsed = spec.root().commandLine().getParseResult();
        parsed != null;
        parsed = parsed.subcommand()) {
      if (parsed.hasMatchedOption("--color")) {
        when = parsed.matchedOptionValue("--color", When.auto);
      }
    }
    return switch (when) {
      case always -> true;
      case never -> false;
      case auto ->
          System.console() != null
              && System.getenv("NO_COLOR") == null
              && !"dumb".equals(System.getenv("TERM"));
    };
  }

  /**
   * {@code rendered} (a diagnostic's {@code render()}) with its headline and carets colored: {@code
   * error[...]} red, {@code warning[...]} yellow, the location bold.
   */
  static String diagnostic(String rendered, boolean error) {
    String color = error ? RED : YELLOW;
    String[] lines = rendered.split("\n", -1);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (i == 0) {
        String kind = error ? "error[" : "warning[";
        int at = line.indexOf(": " + kind);
        int end = at < 0 ? -1 : line.indexOf(']', at);
        line =
            at < 0 || end < 0
                ? line
                : BOLD
                    + line.substring(0, at)
                    + RESET
                    + ": "
                    + color
                    + line.substring(at + 2, end + 1)
                    + RESET
                    + line.substring(end + 1);
      } else {
        var m = CARETS.matcher(line);
        if (m.matches()) {
          line = m.group(1) + color + m.group(2) + RESET + m.group(3);
        }
      }
      out.append(line);
      if (i < lines.length - 1) {
        out.append('\n');
      }
    }
    return out.toString();
  }
}
