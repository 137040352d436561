package dev.meshgate.compiler.ir;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What a route does with a request it matched. */
public sealed interface RouteActionIr {

  /** Send upstream, split by weight (weights sum to 100). */
  record Forward(
      List<WeightedClusterIr> targets,
      Optional<Duration> timeout,
      Optional<RetryIr> retry,
      Optional<PrefixRewriteIr> rewrite,
      List<MirrorIr> mirrors)
      implements RouteActionIr {
    public Forward {
      targets = List.copyOf(targets);
      mirrors = List.copyOf(mirrors);
    }

    /** Without mirrors. */
    public Forward(
        List<WeightedClusterIr> targets,
        Optional<Duration> timeout,
        Optional<RetryIr> retry,
        Optional<PrefixRewriteIr> rewrite) {
      this(targets, timeout, retry, rewrite, List.of());
    }
  }

  /** {@code mirror shadow 10%}: a copy of that share of the requests goes to {@code cluster}. */
  record MirrorIr(String cluster, int percent) {}

  /** {@code redirect 301 "/new/"}: a location path or a full URL. */
  record Redirect(int status, String location) implements RouteActionIr {}

  /** {@code respond 200 "ok"}: answered by the proxy itself. */
  record Respond(int status, String body) implements RouteActionIr {}

  record WeightedClusterIr(String cluster, int weight) {}

  /** {@code retry 3 on 5xx, reset per-try 500ms}; {@code on} uses Envoy retry_on names. */
  record RetryIr(int attempts, List<String> on, Optional<Duration> perTryTimeout) {
    public RetryIr {
      on = List.copyOf(on);
    }
  }

  record PrefixRewriteIr(String from, String to) {}
}
