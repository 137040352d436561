package dev.meshgate.benchmarks;

import dev.meshgate.discovery.Endpoint;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The server in a JVM of its own ({@code --server-process}): {@link ForkedServerMain} of this class
 * path, driven over its stdin and stdout with one line per command ({@code set}, {@code heap},
 * {@code cpu}, {@code histogram}, {@code start}, {@code stop}). The simulated Envoys stay in the
 * harness's JVM, so the heap and CPU the server reports are its own, its sockets count against its
 * own open-file limit, and the clients' parsing runs in another process (on the same cores:
 * loopback still shares the machine).
 *
 * <p>The server's catalog is a {@link HarnessCatalog} in the child; the harness's endpoint changes
 * are sent to it as {@code set} lines, timed from the write (a pipe adds microseconds, not the
 * milliseconds the server's coalescing window waits). Policy edits are files, as before.
 */
final class ForkedServer implements HarnessServer {
  /** Replies start with this; the child's other output is the server's own, passed to the log. */
  static final String REPLY = "@harness ";

  private static final Duration REPLY_TIMEOUT = Duration.ofMinutes(5);

  private final Process process;
  private final BufferedWriter commands;
  private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
  private int xdsPort;
  private int adminPort;
  private double startMs;
  private long heapBaseline;

  private ForkedServer(Process process, PrintStream log) {
    this.process = process;
    this.commands =
        new BufferedWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    pump(process.getInputStream(), log, true);
    pump(process.getErrorStream(), log, false);
  }

  /**
   * The JVM options {@code bin/meshgate serve} and the container image run the server with, so that
   * its figures are the ones a deployment sees (the harness measured G1 until 2026-12-07 midday,
   * then the serial collector until that afternoon).
   */
  static final List<String> SERVE_JVM_OPTIONS = List.of("-XX:+UseParallelGC");

  /**
   * Starts the child JVM, seeds its catalog, weighs its heap, then starts the server in it and
   * waits (at most {@code --duration}) until it serves.
   */
  static ForkedServer start(
      XdsLoadHarness.Options options,
      HarnessPolicy policy,
      Path policyDir,
      Path caDir,
      PrintStream log)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The JDK 23+ warning switches the harness was started with (they fail on older JDKs).
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--enable-native-access")
          || arg.startsWith("--sun-misc-unsafe-memory-access")) {
        command.add(arg);
      }
    }
    command.addAll(SERVE_JVM_OPTIONS);
    // More options for the server's JVM only, space-separated (the AOT cache runs of 2026-12-07
    // night: -XX:AOTCacheOutput=FILE to train one, -XX:AOTCache=FILE to start with it).
    String extra = System.getenv("MESHGATE_HARNESS_SERVER_JVM");
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    options.serverJvm().maxHeap().ifPresent(size -> command.add("-Xmx" + size));
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            ForkedServerMain.class.getName(),
            policyDir.toString(),
            caDir.toString(),
            Long.toString(options.debounce().toMillis()),
            options.insecure() ? "plaintext" : "mtls"));
    ForkedServer server = new ForkedServer(new ProcessBuilder(command).start(), log);
    boolean started = false;
    try {
      policy.seed(server);
      server.heapBaseline = Long.parseLong(server.request("heap", REPLY_TIMEOUT));
      String[] ready = server.request("start", options.duration()).split(" ", -1);
      server.xdsPort = Integer.parseInt(ready[0]);
      server.adminPort = Integer.parseInt(ready[1]);
      server.startMs = Double.parseDouble(ready[2]);
      started = true;
      return server;
    } finally {
      if (!started) {
        server.close();
      }
    }
  }

  @Override
  public synchronized void set(String service, List<Endpoint> endpoints) {
    StringBuilder line = new StringBuilder("set ").append(service);
    for (Endpoint e : endpoints) {
      if (!e.equals(Endpoint.of(e.host(), e.port()))) {
        throw new IllegalArgumentException("a forked server takes host:port endpoints only: " + e);
      }
      line.append(' ').append(e.host()).append(':').append(e.port());
    }
    send(line.toString());
  }

  @Override
  public int xdsPort() {
    return xdsPort;
  }

  @Override
  public int adminPort() {
    return adminPort;
  }

  @Override
  public double startMs() {
    return startMs;
  }

  @Override
  public long heapBaselineBytes() {
    return heapBaseline;
  }

  @Override
  public long usedHeapAfterGc() {
    return Long.parseLong(call("heap"));
  }

  @Override
  public long idleHeapAfterGc() {
    return Long.parseLong(call("idle"));
  }

  @Override
  public HarnessCpu.Sample cpu() {
    return HarnessCpu.Sample.parse(call("cpu"));
  }

  @Override
  public void histogram(Path file) {
    call("histogram " + file);
  }

  @Override
  public String where() {
    return "own JVM, pid " + process.pid();
  }

  @Override
  public java.util.OptionalLong processId() {
    return java.util.OptionalLong.of(process.pid());
  }

  @Override
  public void close() throws InterruptedException {
    try {
      send("stop");
      commands.close();
    } catch (IOException | UncheckedIOException e) {
      // already gone
    }
    // With thousands of streams open, the server's close takes a while; then it is ended.
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private String call(String command) {
    try {
      return request(command, REPLY_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for the server process", e);
    }
  }

  /** Sends {@code command} and returns the text of its reply (after its first word). */
  private synchronized String request(String command, Duration timeout)
      throws InterruptedException {
    send(command);
    String word = command.split(" ", 2)[0];
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() - deadline < 0) {
      String reply = replies.poll(1, TimeUnit.SECONDS);
      if (reply == null) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "the server process exited (" + process.exitValue() + ") during " + word);
        }
        continue;
      }
      if (reply.startsWith("failed ")) {
        throw new IllegalStateException("the server process failed " + word + ": " + reply);
      }
      if (!reply.startsWith(word)) {
        throw new IllegalStateException("the server process answered " + word + " with " + reply);
      }
      return reply.substring(word.length()).trim();
    }
    throw new IllegalStateException(
        String.format(Locale.ROOT, "the server process did not answer %s in %s", word, timeout));
  }

  private synchronized void send(String line) {
    try {
      commands.write(line);
      commands.newLine();
      commands.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("the server process is gone", e);
    }
  }

  /** Copies the child's output to the log, prefixed; replies (stdout only) go to the queue. */
  private void pump(InputStream stream, PrintStream log, boolean withReplies) {
    Thread thread =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  if (withReplies && line.startsWith(REPLY)) {
                    replies.add(line.substring(REPLY.length()));
                  } else {
                    log.println("server: " + line);
                  }
                }
              } catch (IOException e) {
                // the child ended
              }
            },
            withReplies ? "forked-server-stdout" : "forked-server-stderr");
    thread.setDaemon(true);
    thread.start();
  }
}
