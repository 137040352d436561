package dev.meshgate.benchmarks;

import dev.meshgate.discovery.Endpoint;
import dev.meshgate.xds.MeshgateServer;
import dev.meshgate.xds.ServerOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The child side of {@link ForkedServer}: a {@link MeshgateServer} with a {@link HarnessCatalog},
 * run by commands on stdin, one per line, answered on stdout (prefixed {@link ForkedServer#REPLY}):
 *
 * <ul>
 *   <li>{@code set SERVICE HOST:PORT...}: the service's endpoints (no reply);
 *   <li>{@code heap}: used heap after a full GC, in bytes;
 *   <li>{@code idle}: the same once the server's compiler warm-up has ended;
 *   <li>{@code cpu}: every Java thread's CPU time ({@link HarnessCpu.Sample#line});
 *   <li>{@code histogram FILE}: writes the class histogram ({@code GC.class_histogram}) to FILE;
 *   <li>{@code start}: starts the server; replies its xDS and admin ports and the start in ms;
 *   <li>{@code stop} or the end of stdin: closes the server and exits.
 * </ul>
 *
 * Arguments: policy directory, CA directory, reload debounce in ms, {@code mtls} or {@code
 * plaintext}. Anything else the JVM prints goes to stderr, so stdout carries replies only.
 */
public final class ForkedServerMain {
  private ForkedServerMain() {}

  public static void main(String[] args) throws IOException {
    PrintStream replies = System.out;
    System.setOut(System.err);
    ServerOptions options =
        ServerOptions.loopback(List.of(Path.of(args[0])), Path.of(args[1]))
            .withReloadDebounce(Duration.ofMillis(Long.parseLong(args[2])))
            .withInsecureXds(args[3].equals("plaintext"));
    HarnessCatalog catalog = new HarnessCatalog();
    @Nullable MeshgateServer server = null;
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] words = line.split(" ", -1);
        String reply =
            switch (words[0]) {
              case "set" -> {
                catalog.set(words[1], endpoints(words));
                yield "";
              }
              case "heap" -> "heap " + HarnessMetrics.usedHeapAfterGc();
              case "idle" -> "idle " + HarnessMetrics.idleHeapAfterGc(HarnessServer.WARMUP_WAIT);
              case "cpu" -> "cpu " + HarnessCpu.local().line();
              case "histogram" -> {
                HarnessMetrics.writeClassHistogram(Path.of(line.substring("histogram ".length())));
                yield "histogram";
              }
              case "start" -> {
                long startNanos = System.nanoTime();
                try {
                  server = MeshgateServer.start(options, catalog);
                  yield String.format(
                      Locale.ROOT,
                      "start %d %d %.1f",
                      server.xdsPort(),
                      server.adminPort(),
                      HarnessMetrics.millis(System.nanoTime() - startNanos));
                } catch (Exception e) {
                  yield "failed " + e;
                }
              }
              case "stop" -> "";
              default -> "failed unknown command: " + words[0];
            };
        if (!reply.isEmpty()) {
          replies.println(ForkedServer.REPLY + reply);
          replies.flush();
        }
        if (words[0].equals("stop")) {
          break;
        }
      }
    } finally {
      if (server != null) {
        server.close();
      }
      catalog.close();
    }
    System.exit(0); // gRPC and the server's executors are not all daemon threads
  }

  private static List<Endpoint> endpoints(String[] words) {
    List<Endpoint> list = new ArrayList<>();
    for (int i = 2; i < words.length; i++) {
      int colon = words[i].lastIndexOf(':');
      list.add(
          Endpoint.of(
              words[i].substring(0, colon), Integer.parseInt(words[i].substring(colon + 1))));
    }
    return list;
  }
}
