package dev.meshgate.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A child process of the test JVM with its output in a log file. Every live child is registered so
 * that a failing test can print all logs ({@link PrintLogsOnFailure}) and so that a JVM that dies
 * before {@code @AfterAll} still takes its Envoys and servers with it.
 */
final class ChildProcess implements AutoCloseable {
  private static final Set<ChildProcess> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> LIVE.forEach(c -> c.process.destroyForcibly()), "kill-children"));
  }

  private final String name;
  private final Process process;
  private final Path log;
  private final Duration gracePeriod;

  private ChildProcess(String name, Process process, Path log, Duration gracePeriod) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.gracePeriod = gracePeriod;
  }

  /** Starts {@code command} with stdout and stderr both going to {@code log}. */
  static ChildProcess start(String name, List<String> command, Path log, Duration gracePeriod) {
    return start(name, command, java.util.Map.of(), log, gracePeriod);
  }

  /** As {@link #start(String, List, Path, Duration)}, with {@code env} added to the environment. */
  static ChildProcess start(
      String name,
      List<String> command,
      java.util.Map<String, String> env,
      Path log,
      Duration gracePeriod) {
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().putAll(env);
      Process process =
          builder
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      ChildProcess child = new ChildProcess(name, process, log, gracePeriod);
      LIVE.add(child);
      return child;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + name + ": " + command, e);
    }
  }

  static Set<ChildProcess> live() {
    return Set.copyOf(LIVE);
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  /** A child that exited while a test needed it: no point in waiting any longer. */
  static final class Died extends AssertionError {
    Died(String message) {
      super(message);
    }
  }

  /** Fails fast with the log when the process died while we were waiting for it. */
  void requireAlive(String during) {
    if (!process.isAlive()) {
      throw new Died(
          name
              + " exited with status "
              + process.exitValue()
              + " "
              + during
              + "; its log:\n"
              + tail(200));
    }
  }

  /** The last {@code lines} lines of the log. */
  String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
      return (all.size() > lines
              ? "[… " + (all.size() - lines) + " earlier lines in " + log + "]\n"
              : "")
          + String.join("\n", last);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  /** SIGTERM, then SIGKILL after the grace period; always waits for the process to be gone. */
  @Override
  public void close() {
    try {
      process.destroy();
      if (!process.waitFor(gracePeriod.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      LIVE.remove(this);
    }
  }
}
