package dev.meshgate.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@code meshgate} in-process, capturing what it prints. */
final class Cli {
  record Result(int exitCode, String out, String err) {}

  private Cli() {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Meshgate.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Result(code, out.toString(), err.toString());
  }
}
