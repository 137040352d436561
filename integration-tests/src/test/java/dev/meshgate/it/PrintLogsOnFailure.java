package dev.meshgate.it;

import java.util.Comparator;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Prints the log of every live child process (meshgate, Envoy) when a test or a lifecycle method
 * fails, so a failure in CI can be diagnosed from the build output alone.
 */
final class PrintLogsOnFailure
    implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    print(context);
    throw throwable;
  }

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    print(context);
    throw throwable;
  }

  @Override
  public void handleBeforeEachMethodExecutionException(
      ExtensionContext context, Throwable throwable) throws Throwable {
    print(context);
    throw throwable;
  }

  @Override
  public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    print(context);
    throw throwable;
  }

  private static void print(ExtensionContext context) {
    StringBuilder out = new StringBuilder();
    out.append("\n==== ")
        .append(context.getDisplayName())
        .append(" failed; logs of live child processes ====\n");
    ChildProcess.live().stream()
        .sorted(Comparator.comparing(ChildProcess::name))
        .forEach(c ->
            out.append("---- ")
                .append(c.name())
                .append(" (pid ")
                .append(c.pid())
                .append(c.isAlive() ? ", running" : ", exited")
                .append(") ")
                .append(c.log())
                .append(" ----\n")
                .append(c.tail(150))
                .append('\n'));
    out.append("==== end of logs ====\n");
    System.err.print(out);
  }
}
