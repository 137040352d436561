package dev.meshgate.cli;

import dev.meshgate.compiler.check.NearestNames;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code meshgate}: the command line. Data goes to stdout, progress and diagnostics to stderr. Exit
 * codes: 0 ok, 1 policy errors, 2 usage, 3 any other failure, 4 plan has changes, 70 a bug in
 * meshgate (see {@link ExitCode}).
 */
@Command(
    name = "meshgate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "One policy language and one control plane for every Envoy.",
    // The subcommands are added by commandLine (see Commands), not listed here.
    footer = {
      "",
      "Exit codes:",
      "  0  ok (for plan: no changes)",
      "  1  policy errors (for check --werror: warnings too; for test: a failing test)",
      "  2  usage error",
      "  3  other failure (file, port, process, git, catalog, server)",
      "  4  changes present (plan only)",
      "  70 internal error: a bug in meshgate (run again with --debug for the stack trace)",
      "Run 'meshgate COMMAND --help' for a command's options."
    })
public final class Meshgate implements Callable<Integer> {

  @Spec CommandSpec spec;

  /** Read from the parse result by the failure handler; here so every command accepts it. */
  @picocli.CommandLine.Option(
      names = "--debug",
      scope = CommandLine.ScopeType.INHERIT,
      hidden = true, // named in the exit-code footer and in the internal-error line instead
      description = "On an internal error (exit 70), print its stack trace too.")
  boolean debug;

  @picocli.CommandLine.Option(
      names = "--color",
      paramLabel = "WHEN",
      defaultValue = "auto",
      scope = CommandLine.ScopeType.INHERIT,
      description =
          "Color in diagnostics: auto (on a terminal, unless NO_COLOR is set), always or never"
              + " (default: ${DEFAULT-VALUE}).")
  Colors.When color;

  @Override
  public Integer call() {
    // `meshgate` alone: say what there is, and fail like any other usage mistake.
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCode.USAGE;
  }

  public static void main(String[] args) {
    // picocli's default factory looks for Groovy's Closure class once, to support closures in
    // annotations (we have none): a class that is on no class path, so the JVM searched and opened
    // every one of the ~120 jars before failing, about a seventh of a small check (issue 17.4).
    System.setProperty("picocli.disable.closures", "true");
    PrintWriter out =
        new PrintWriter(new PrintStream(System.out, true, StandardCharsets.UTF_8), true);
    PrintWriter err =
        new PrintWriter(new PrintStream(System.err, true, StandardCharsets.UTF_8), true);
    int code = run(out, err, args);
    out.flush();
    err.flush();
    if (Commands.needed(args).contains("serve")) {
      System.exit(code); // serve's shutdown hook stops the server
    }
    // System.exit asks System.getLogger whether to log the exit (JDK 21+), and its first use looks
    // for a logger finder in every one of the ~130 jars on the class path: about 0.1 s of a short
    // command (issue 17.4). Only serve registers a shutdown hook, so the others halt.
    System.out.flush();
    System.err.flush();
    Runtime.getRuntime().halt(code);
  }

  /**
   * Runs one command line to completion and returns its exit code; tests call this in-process. Only
   * the command {@code args} names is built (see {@link Commands}).
   */
  static int run(PrintWriter out, PrintWriter err, String... args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // What picocli prints for it, without picocli: loading and verifying its classes (Java 5
      // bytecode, which an AOT cache cannot hold) was most of a bare --version (issue 17.4).
      for (String line : new VersionProvider().getVersion()) {
        out.println(line);
      }
      out.flush();
      return ExitCode.OK;
    }
    CommandLine cl = new CommandLine(new Meshgate());
    Commands.addFor(cl, args);
    return run(configured(cl, out, err), args);
  }

  /**
   * Runs {@code cl}; an {@link Error} (a stack overflow in the compiler, say) is an internal error
   * like any unexpected exception, not a JVM trace and exit 1 as if the policy were wrong.
   */
  static int run(CommandLine cl, String... args) {
    try {
      return cl.execute(args);
    } catch (Error e) {
      return internalError(e, cl.getErr(), java.util.Arrays.asList(args).contains("--debug"));
    }
  }

  /**
   * The whole {@code meshgate} command line, every command built, writing to {@code out} and {@code
   * err}, with the usage-error and failure handling of the real CLI: for tests and tools that run
   * or parse meshgate in their own JVM. (The CLI itself builds only the command a run names.)
   */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Meshgate());
    Commands.addAll(cl);
    return configured(cl, out, err);
  }

  /**
   * Output and handlers, set once the subcommands are added: picocli sets them on the commands a
   * command line has at the time, not on those added later.
   */
  private static CommandLine configured(CommandLine cl, PrintWriter out, PrintWriter err) {
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler(USAGE_ERROR);
    cl.setExecutionExceptionHandler(FAILURE);
    // MESHGATE_LOG_LEVEL=DEBUG works as well as --log-level debug.
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    return cl;
  }

  /** A wrong command line: a short message, the synopsis, and where to read more. */
  private static final IParameterExceptionHandler USAGE_ERROR =
      (ParameterException ex, String[] args) -> {
        CommandLine cl = ex.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("meshgate: " + oneLine(ex));
        CommandLine.Help help = cl.getHelp();
        err.print(help.synopsisHeading() + help.synopsis(help.synopsisHeadingLength()));
        err.println("Run '" + cl.getCommandSpec().qualifiedName() + " --help' for more.");
        err.flush();
        return ExitCode.USAGE;
      };

  /**
   * The message of a usage error; a mistyped subcommand gets one line with the nearest command
   * names, not picocli's list of all unmatched arguments and suggestions on lines of their own.
   */
  private static String oneLine(ParameterException ex) {
    CommandLine cl = ex.getCommandLine();
    if (ex instanceof UnmatchedArgumentException unmatched
        && !unmatched.getUnmatched().isEmpty()
        && !cl.getSubcommands().isEmpty()
        && !unmatched.getUnmatched().get(0).startsWith("-")) {
      String word = unmatched.getUnmatched().get(0);
      List<String> near = NearestNames.nearest(word, cl.getSubcommands().keySet());
      return "unknown command \""
          + word
          + "\""
          + (near.isEmpty()
              ? "; the commands are " + String.join(", ", cl.getSubcommands().keySet())
              : "; did you mean " + String.join(" or ", near) + "?");
    }
    return ex.getMessage();
  }

  /**
   * A failure while running: a {@link UserError} is one line; anything else is a bug in meshgate:
   * exit 70, one line, and the stack trace with {@code --debug}.
   */
  private static final IExecutionExceptionHandler FAILURE =
      (Exception ex, CommandLine cl, CommandLine.ParseResult parsed) -> {
        PrintWriter err = cl.getErr();
        if (ex instanceof UserError user) {
          err.println("meshgate: " + user.getMessage());
          err.flush();
          return user.exitCode();
        }
        return internalError(ex, err, debugRequested(parsed));
      };

  private static boolean debugRequested(CommandLine.ParseResult parsed) {
    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--debug")) {
        return true;
      }
    }
    return false;
  }

  /** One line asking for a bug report; the stack trace only when asked for. */
  static int internalError(Throwable ex, PrintWriter err, boolean debug) {
    err.println(
        "meshgate: internal error (a bug in meshgate, not a problem with your input): "
            + ex
            + "; please report it with the command line and the policy"
            + (debug ? "" : ", and run again with --debug for the stack trace"));
    if (debug) {
      ex.printStackTrace(err);
    }
    err.flush();
    return ExitCode.INTERNAL;
  }
}
