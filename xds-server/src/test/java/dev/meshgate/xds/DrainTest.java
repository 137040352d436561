package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.discovery.StaticCatalog;
import io.envoyproxy.controlplane.cache.Resources;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16.2: a replica that shuts down says so on /ready at once, refuses new xDS streams and ends
 * the open ones one at a time over the drain period, not all in one instant.
 */
class DrainTest {
  private static final Duration PERIOD = Duration.ofMillis(1200);
  private static final int STREAMS = 4;

  @TempDir Path dir;
  @TempDir Path caDir;
  private final List<AutoCloseable> open = new ArrayList<>();
  // Not the common pool: on two cores it runs one task at a time, and these all block.
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  @AfterEach
  void close() throws Exception {
    threads.shutdownNow();
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  @Test
  void drainEndsStreamsSpreadOverThePeriodAndRefusesNewOnes() throws Exception {
    Files.writeString(dir.resolve("policy.mesh"), MeshgateServerTest.POLICY);
    var catalog = new StaticCatalog();
    MeshgateServer server =
        MeshgateServer.start(
            ServerOptions.loopback(List.of(dir), caDir), catalog, Fixtures.FAKE_COMPILER, catalog);
    open.add(server);
    Admin admin = new Admin(server.adminPort());
    assertThat(admin.request("GET", "/ready").statusCode()).isEqualTo(200);

    List<XdsTestClient> envoys = new ArrayList<>();
    for (int i = 0; i < STREAMS; i++) {
      XdsTestClient envoy = new XdsTestClient(server, "edge-" + i, "edge");
      open.add(envoy);
      envoy.send(envoy.request(Resources.V3.CLUSTER_TYPE_URL, List.of()));
      envoy.next(); // the stream is open and answered
      envoys.add(envoy);
    }
    assertThat(server.openStreams()).isEqualTo(STREAMS);

    long start = System.nanoTime();
    List<CompletableFuture<Ended>> ends = new ArrayList<>();
    for (XdsTestClient envoy : envoys) {
      // Each on a thread of its own, timed by the client's callback: a waiter that queues for a
      // pool thread would take the time its turn came, not the time its stream ended.
      ends.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  Status status = envoy.awaitFailure();
                  return new Ended(status, (envoy.failedAtNanos() - start) / 1_000_000);
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              },
              threads));
    }
    CompletableFuture<Integer> drained =
        CompletableFuture.supplyAsync(() -> server.drain(PERIOD), threads);

    // Not ready from the first moment of the drain: 503 well before the first stream ends (at
    // PERIOD / 4), while every stream is still open.
    int ready = 200;
    while (ready == 200 && !drained.isDone()) {
      ready = admin.request("GET", "/ready").statusCode();
    }
    assertThat(ready).isEqualTo(503);
    assertThat(ends).noneMatch(CompletableFuture::isDone);
    XdsTestClient late = new XdsTestClient(server, "edge-late", "edge");
    open.add(late);
    late.send(late.request(Resources.V3.CLUSTER_TYPE_URL, List.of()));
    assertThat(late.awaitFailure().getCode()).isEqualTo(Status.Code.UNAVAILABLE);

    List<Long> times = new ArrayList<>();
    for (CompletableFuture<Ended> end : ends) {
      Ended ended = end.join();
      assertThat(ended.status().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(ended.status().getDescription()).contains("shutting down");
      times.add(ended.atMillis());
    }
    assertThat(drained.join()).isEqualTo(STREAMS);
    times.sort(null);
    // Due at 300, 600, 900 and 1200 ms: lower bounds only, a loaded machine just makes them later.
    assertThat(times.getFirst()).as("first stream ended (ms) of %s", times).isGreaterThan(200);
    assertThat(times.getLast() - times.getFirst())
        .as("spread of the ends (ms) of %s", times)
        .isGreaterThan(600);
  }

  private record Ended(Status status, long atMillis) {}
}
