package dev.meshgate.it;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.meshgate.compiler.ProxyResources;
import io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit;
import io.envoyproxy.envoy.type.v3.TokenBucket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * {@code expect burst N …} through a real Envoy: N requests sent at once, and how long a gateway's
 * local rate limit buckets take to fill again, so each expectation starts, as the simulator
 * assumes, with full buckets rather than ones drained by the expectations before it.
 */
final class Bursts {
  /** More than this is a load test, not a policy test. */
  static final int MAX_BURST = 200;

  private static final String LOCAL = "envoy.filters.http.local_ratelimit";

  private Bursts() {}

  /** The N responses, in no particular order: all N requests are in flight together. */
  static List<HttpResponse<String>> send(int n, String method, String url, String[] headers) {
    if (n > MAX_BURST) {
      throw new IllegalArgumentException("a burst of " + n + " is over " + MAX_BURST);
    }
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<HttpResponse<String>>> sent = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        sent.add(threads.submit(() -> Http.send(method, url, headers)));
      }
      List<HttpResponse<String>> responses = new ArrayList<>();
      for (Future<HttpResponse<String>> f : sent) {
        responses.add(f.get());
      }
      return responses;
    } catch (ExecutionException e) {
      throw new IllegalStateException("a request of the burst failed: " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * The group's local rate limits, as Envoy was served them: the route's and host's, with each
   * key's bucket.
   */
  static List<TokenBucket> buckets(ProxyResources group) {
    List<TokenBucket> buckets = new ArrayList<>();
    for (var table : group.routes()) {
      for (var host : table.getVirtualHostsList()) {
        collect(host.getTypedPerFilterConfigMap(), buckets);
        host.getRoutesList().forEach(r -> collect(r.getTypedPerFilterConfigMap(), buckets));
      }
    }
    return buckets;
  }

  private static void collect(Map<String, Any> perFilter, List<TokenBucket> into) {
    Any any = perFilter.get(LOCAL);
    if (any == null || !any.is(LocalRateLimit.class)) {
      return;
    }
    try {
      LocalRateLimit limit = any.unpack(LocalRateLimit.class);
      into.add(limit.getTokenBucket());
      limit.getDescriptorsList().forEach(d -> into.add(d.getTokenBucket()));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /** From empty to full: Envoy adds tokens_per_fill every fill_interval, spread evenly. */
  static Duration refill(List<TokenBucket> buckets) {
    return buckets.stream()
        .map(b -> perToken(b).multipliedBy(b.getMaxTokens()))
        .max(Duration::compareTo)
        .orElse(Duration.ZERO);
  }

  /**
   * The tokens any bucket of the group may have gained in {@code elapsed}: the slack allowed to a
   * burst's count of 429s, since N requests are never quite at once.
   */
  static long refilledWithin(List<TokenBucket> buckets, Duration elapsed) {
    return buckets.stream()
        .map(Bursts::perToken)
        .filter(d -> !d.isZero())
        .mapToLong(d -> elapsed.toNanos() / d.toNanos())
        .max()
        .orElse(0);
  }

  private static Duration perToken(TokenBucket bucket) {
    Duration interval =
        Duration.ofSeconds(
            bucket.getFillInterval().getSeconds(), bucket.getFillInterval().getNanos());
    long perFill = Math.max(1, bucket.getTokensPerFill().getValue());
    return interval.dividedBy(perFill);
  }

  static Stream<String> statuses(List<HttpResponse<String>> responses) {
    return responses.stream().map(r -> Integer.toString(r.statusCode()));
  }
}
