package dev.meshgate.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * CPU time spent while a change is pushed, per proxy (issue 17.2): the server's publisher thread
 * ({@code meshgate-publisher}, where java-control-plane answers every open watch and gRPC
 * serializes each response), and every Java thread of the JVM (the server's gRPC and Netty threads,
 * but also the simulated proxies: server and clients share the JVM and gRPC's default thread pools,
 * so only the publisher thread is the server's alone), except the compiler warm-up's. Garbage
 * collection and JIT threads are not Java threads and are not counted. With the server in its own
 * JVM ({@link ForkedServer}) the samples are that JVM's, so "all Java threads" is the server's
 * only.
 */
final class HarnessCpu {
  static final String PUBLISHER = "meshgate-publisher";

  /**
   * The server's compiler warm-up after a start (issue 17.1): bounded, no part of any push, and
   * still running in the first seconds of a harness run, so not counted.
   */
  static final String WARMUP = "meshgate-compiler-warmup";

  private final Supplier<Sample> sampler;

  /** Per kind of push (policy edit, endpoint change), in the order first measured. */
  private final Map<String, Totals> totals = new LinkedHashMap<>();

  private static final class Totals {
    long publisherNanos;
    long allNanos;
    long proxyPushes;
    int pushes;
  }

  /** CPU time per thread id now, and the publisher thread's id (-1 when there is none yet). */
  record Sample(Map<Long, Long> byThread, long publisher) {
    Sample {
      byThread = Map.copyOf(byThread);
    }

    /** One line: the publisher's id, then {@code id=nanos} per thread (a forked server's reply). */
    String line() {
      StringBuilder line = new StringBuilder(Long.toString(publisher));
      byThread.forEach((id, nanos) -> line.append(' ').append(id).append('=').append(nanos));
      return line.toString();
    }

    static Sample parse(String line) {
      String[] words = line.trim().split(" ", -1);
      Map<Long, Long> byThread = new HashMap<>();
      for (int i = 1; i < words.length; i++) {
        int eq = words[i].indexOf('=');
        byThread.put(
            Long.parseLong(words[i].substring(0, eq)), Long.parseLong(words[i].substring(eq + 1)));
      }
      return new Sample(byThread, Long.parseLong(words[0]));
    }
  }

  /** Samples this JVM's threads. */
  HarnessCpu() {
    this(HarnessCpu::local);
  }

  /** Samples with {@code sampler}: this JVM's threads, or a forked server's. */
  HarnessCpu(Supplier<Sample> sampler) {
    this.sampler = sampler;
  }

  /** One push being measured: {@link #end} adds it to the totals. */
  final class Window {
    private final Sample start = sample();
    private final String kind;
    private final int proxies;

    private Window(String kind, int proxies) {
      this.kind = kind;
      this.proxies = proxies;
    }

    /** Adds this push's CPU time to its kind's totals; returns the per-proxy line of this push. */
    String end(String what) {
      Sample end = sample();
      long publisher = delta(start, end, end.publisher());
      long all = 0;
      for (var entry : end.byThread().entrySet()) {
        all += delta(start, end, entry.getKey());
      }
      Totals t = totals.computeIfAbsent(kind, k -> new Totals());
      t.publisherNanos += publisher;
      t.allNanos += all;
      t.proxyPushes += proxies;
      t.pushes++;
      return String.format(
          Locale.ROOT,
          "%s: CPU per proxy %.1f µs on the publisher thread, %.1f µs on all Java threads",
          what,
          micros(publisher, proxies),
          micros(all, proxies));
    }
  }

  /** Starts measuring a push of {@code kind} (e.g. "policy edits") to {@code proxies} proxies. */
  Window start(String kind, int proxies) {
    return new Window(kind, proxies);
  }

  /**
   * The report line: per kind, the mean CPU per push per proxy on the publisher thread / on all
   * Java threads.
   */
  String summary() {
    StringBuilder line =
        new StringBuilder("CPU per push per proxy, publisher thread / all Java threads:");
    String separator = " ";
    for (var entry : totals.entrySet()) {
      Totals t = entry.getValue();
      line.append(separator)
          .append(
              String.format(
                  Locale.ROOT,
                  "%s %.1f / %.1f µs (mean of %d)",
                  entry.getKey(),
                  micros(t.publisherNanos, t.proxyPushes),
                  micros(t.allNanos, t.proxyPushes),
                  t.pushes));
      separator = "; ";
    }
    return line.toString();
  }

  private static double micros(long nanos, long proxies) {
    return proxies == 0 ? Double.NaN : nanos / 1e3 / proxies;
  }

  private static long delta(Sample start, Sample end, long thread) {
    Long after = end.byThread().get(thread);
    if (after == null || after < 0) {
      return 0;
    }
    return after - Math.max(0, start.byThread().getOrDefault(thread, 0L));
  }

  private Sample sample() {
    return sampler.get();
  }

  /** This JVM's Java threads' CPU time, the compiler warm-up's left out. */
  static Sample local() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
      threads.setThreadCpuTimeEnabled(true);
    }
    Map<Long, Long> byThread = new HashMap<>();
    long publisher = -1;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null || info.getThreadName().equals(WARMUP)) {
        continue; // ended meanwhile, or the warm-up
      }
      byThread.put(info.getThreadId(), threads.getThreadCpuTime(info.getThreadId()));
      if (info.getThreadName().equals(PUBLISHER)) {
        publisher = info.getThreadId();
      }
    }
    return new Sample(byThread, publisher);
  }
}
