package dev.meshgate.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code bin/meshgate serve} process of this checkout (plaintext xDS, loopback), for
 * benchmarks that should see what a user runs: its own JVM, its own JIT, its own threads.
 */
final class ServeProcess implements AutoCloseable {
  private final Process process;
  private final int adminPort;
  private final Path log;

  private ServeProcess(Process process, int adminPort, Path log) {
    this.process = process;
    this.adminPort = adminPort;
    this.log = log;
  }

  /** Starts it and waits until its admin API says it is ready (at most {@code startTimeout}). */
  static ServeProcess start(
      Path projectRoot,
      Path policyDir,
      Path work,
      int xdsPort,
      int adminPort,
      Duration debounce,
      HttpClient http,
      Duration startTimeout)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(projectRoot.resolve("bin/meshgate").toString());
    command.addAll(
        List.of(
            "serve",
            "--insecure-xds",
            "--xds-port",
            Integer.toString(xdsPort),
            "--admin-port",
            Integer.toString(adminPort),
            "--ca-dir",
            work.resolve("ca").toString(),
            "--reload-debounce",
            debounce.toMillis() + "ms",
            "--drain-period",
            "0s",
            policyDir.toString()));
    Path log = work.resolve("serve.log");
    Process process =
        new ProcessBuilder(command)
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    ServeProcess serve = new ServeProcess(process, adminPort, log);
    long deadline = System.nanoTime() + startTimeout.toNanos();
    HttpRequest ready =
        HttpRequest.newBuilder(serve.admin("/ready")).timeout(Duration.ofSeconds(2)).build();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("meshgate serve exited; see " + log);
      }
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return serve;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(50);
    }
    serve.close();
    throw new IllegalStateException("meshgate serve was not ready in time; see " + log);
  }

  /** The server JVM's process id (bin/meshgate execs java), for its CPU time. */
  long pid() {
    return process.pid();
  }

  int adminPort() {
    return adminPort;
  }

  URI admin(String path) {
    return URI.create("http://127.0.0.1:" + adminPort + path);
  }

  /** A Prometheus timer's running sum (seconds) and count. */
  record Totals(double sum, double count) {
    /** The mean over what was recorded since {@code before}, if anything was. */
    OptionalDouble meanSince(Totals before) {
      double n = count - before.count;
      return n > 0 ? OptionalDouble.of((sum - before.sum) / n) : OptionalDouble.empty();
    }
  }

  /**
   * A timer's {@code name_sum} and {@code name_count} (the lines whose labels contain {@code
   * labels}) from a server's /metrics; zero when it has no samples yet.
   */
  static Totals totals(HttpClient http, URI metrics, String name, String labels)
      throws IOException, InterruptedException {
    String text =
        http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
            .body();
    return new Totals(
        sample(text, name + "_sum", labels).orElse(0),
        sample(text, name + "_count", labels).orElse(0));
  }

  private static OptionalDouble sample(String text, String metric, String labels) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(metric) + "(\\{[^}]*\\})? (\\S+)$").matcher(text);
    while (m.find()) {
      String found = m.group(1) == null ? "" : m.group(1);
      if (found.contains(labels)) {
        return OptionalDouble.of(Double.parseDouble(m.group(2)));
      }
    }
    return OptionalDouble.empty();
  }

  Path log() {
    return log;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }
}
