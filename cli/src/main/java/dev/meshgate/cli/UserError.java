package dev.meshgate.cli;

/**
 * A failure the user can fix (a missing file, a port in use): printed as one line {@code meshgate:
 * <message>}, never with a stack trace, and mapped to {@link #exitCode()}.
 */
final class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  UserError(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  static UserError failure(String message) {
    return new UserError(ExitCode.FAILURE, message);
  }

  int exitCode() {
    return exitCode;
  }
}
