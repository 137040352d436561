package dev.meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** A bug in meshgate is exit 70 and one line, never exit 1 as if the policy were wrong. */
class InternalErrorTest {

  @Command(name = "boom")
  static final class Boom implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new IllegalStateException("compiler bug");
    }
  }

  @Command(name = "overflow")
  static final class Overflow implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new StackOverflowError();
    }
  }

  private static Cli.Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Meshgate.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
    cl.addSubcommand(new Boom());
    cl.addSubcommand(new Overflow());
    cl.setErr(new PrintWriter(err, true)); // again, for the commands added after
    cl.setOut(new PrintWriter(out, true));
    int code = Meshgate.run(cl, args);
    return new Cli.Result(code, out.toString(), err.toString());
  }

  @Test
  void anUnexpectedExceptionIsOneLineAndExit70() {
    Cli.Result r = run("boom");
    assertThat(r.exitCode()).isEqualTo(70);
    assertThat(r.err())
        .isEqualTo(
            "meshgate: internal error (a bug in meshgate, not a problem with your input):"
                + " java.lang.IllegalStateException: compiler bug; please report it with the command"
                + " line and the policy, and run again with --debug for the stack trace\n");
  }

  @Test
  void debugAddsTheStackTraceAfterTheCommandToo() {
    Cli.Result r = run("boom", "--debug");
    assertThat(r.exitCode()).isEqualTo(70);
    assertThat(r.err())
        .startsWith(
            "meshgate: internal error (a bug in meshgate, not a problem with your input):"
                + " java.lang.IllegalStateException: compiler bug; please report it with the command"
                + " line and the policy\njava.lang.IllegalStateException: compiler bug\n\tat ")
        .contains("InternalErrorTest$Boom.call");
    assertThat(run("--debug", "boom").err()).contains("InternalErrorTest$Boom.call");
  }

  @Test
  void anErrorSuchAsAStackOverflowIsAnInternalErrorToo() {
    Cli.Result r = run("overflow");
    assertThat(r.exitCode()).isEqualTo(70);
    assertThat(r.err())
        .isEqualTo(
            "meshgate: internal error (a bug in meshgate, not a problem with your input):"
                + " java.lang.StackOverflowError; please report it with the command line and the"
                + " policy, and run again with --debug for the stack trace\n");
  }

  @Test
  void everyCommandAcceptsDebug() {
    Cli.Result r = Cli.run("check", "--debug", "no-such.mesh");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err())
        .isEqualTo("meshgate: cannot read policy: no such file or directory: no-such.mesh\n");
  }
}
