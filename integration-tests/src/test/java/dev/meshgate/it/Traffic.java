package dev.meshgate.it;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Steady background requests to one URL (one every {@code interval}) that must all be served by one
 * backend: proves a change elsewhere in the config did not disturb this route. Bounded by {@link
 * #MAX_RUN}, so a forgotten loop stops by itself.
 */
final class Traffic implements AutoCloseable {
  private static final Duration MAX_RUN = Duration.ofMinutes(2);

  private final String url;
  private final String backend;
  private final Duration interval;
  private final Duration maxRun;
  private final String[] headers;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger ok = new AtomicInteger();
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final Thread thread;

  private Traffic(
      String url, String backend, Duration interval, Duration maxRun, String... headers) {
    this.url = url;
    this.backend = backend;
    this.interval = interval;
    this.maxRun = maxRun;
    this.headers = headers.clone();
    this.thread = Thread.ofVirtual().name("traffic " + url).unstarted(this::run);
  }

  static Traffic start(String url, String backend, Duration interval) {
    return start(url, backend, interval, MAX_RUN);
  }

  /**
   * As {@link #start(String, String, Duration)}, stopping after {@code maxRun}, with request
   * headers (name, value pairs).
   */
  static Traffic start(
      String url, String backend, Duration interval, Duration maxRun, String... headers) {
    Traffic traffic = new Traffic(url, backend, interval, maxRun, headers);
    traffic.thread.start();
    return traffic;
  }

  private void run() {
    long deadline = System.nanoTime() + maxRun.toNanos();
    while (running.get() && System.nanoTime() < deadline) {
      long sent = System.currentTimeMillis();
      try {
        HttpResponse<String> response = Http.get(url, headers);
        String servedBy =
            response.statusCode() == 200 ? Http.json(response).path("backend").asText() : "";
        if (response.statusCode() == 200 && servedBy.equals(backend)) {
          ok.incrementAndGet();
        } else {
          failures.add(sent + ": status " + response.statusCode() + " body " + response.body());
        }
      } catch (RuntimeException | AssertionError e) {
        failures.add(sent + ": " + e);
      }
      try {
        Thread.sleep(interval);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  int succeeded() {
    return ok.get();
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  @Override
  public void close() {
    stop();
  }

  /** Stops the loop and waits for the request in flight; idempotent. */
  void stop() {
    running.set(false);
    try {
      if (!thread.join(Http.REQUEST_TIMEOUT.plusSeconds(1))) {
        thread.interrupt();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
