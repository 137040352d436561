package dev.meshgate.compiler.ir;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What a route does with a request it matched. */
public sealed interface RouteActionIr {

  /**
   * Send upstream, split by weight (weights sum to 100). {@code timeout} zero means none; {@code
   * backendTimeout} bounds each attempt; {@code fault} is injected before forwarding.
   */
  record Forward(
      List<WeightedClusterIr> targets,
      Optional<Duration> timeout,
      Optional<RetryIr> retry,
      Optional<PathRewriteIr> rewrite,
      Optional<Duration> backendTimeout,
      Optional<FaultIr> fault,
      Optional<HostRewriteIr> hostRewrite,
      List<MirrorIr> mirrors,
      List<HashPolicyIr> hashPolicies)
      implements RouteActionIr {
    public Forward {
      targets = List.copyOf(targets);
      mirrors = List.copyOf(mirrors);
      hashPolicies = List.copyOf(hashPolicies);
    }

    /** A forward without {@code hash-by}. */
    public Forward(
        List<WeightedClusterIr> targets,
        Optional<Duration> timeout,
        Optional<RetryIr> retry,
        Optional<? extends PathRewriteIr> rewrite,
        Optional<Duration> backendTimeout,
        Optional<FaultIr> fault,
        Optional<HostRewriteIr> hostRewrite,
        List<MirrorIr> mirrors) {
      this(
          targets,
          timeout,
          retry,
          rewrite.map(PathRewriteIr.class::cast),
          backendTimeout,
          fault,
          hostRewrite,
          mirrors,
          List.of());
    }

    /** Only the settings every forward had at first; the later ones empty. */
    public Forward(
        List<WeightedClusterIr> targets,
        Optional<Duration> timeout,
        Optional<RetryIr> retry,
        Optional<? extends PathRewriteIr> rewrite) {
      this(
          targets,
          timeout,
          retry,
          rewrite.map(PathRewriteIr.class::cast),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          List.of());
    }
  }

  /** {@code mirror shadow 10%}: a copy of that share of the requests goes to {@code cluster}. */
  record MirrorIr(String cluster, int percent) {}

  /** {@code redirect 301 "/new/"}: a location path or a full URL. */
  record Redirect(int status, String location) implements RouteActionIr {}

  /**
   * {@code redirect [STATUS] PART…}: only the parts present change; {@code port} empty with a
   * {@code scheme} means that scheme's well-known port (left out of the Location).
   */
  record RedirectTo(
      int status,
      Optional<String> scheme,
      Optional<String> host,
      Optional<Integer> port,
      Optional<PathRewriteIr> path,
      boolean stripQuery)
      implements RouteActionIr {}

  /** {@code respond 200 "ok"}: answered by the proxy itself. */
  record Respond(int status, String body) implements RouteActionIr {}

  record WeightedClusterIr(String cluster, int weight) {}

  /**
   * {@code retry 3 on 5xx, reset, 503 per-try 500ms backoff 25ms max 250ms}; {@code on} uses Envoy
   * retry_on names, {@code statusCodes} the status codes written as conditions.
   */
  record RetryIr(
      int attempts,
      List<String> on,
      Optional<Duration> perTryTimeout,
      List<Integer> statusCodes,
      Optional<Duration> backoff,
      Optional<Duration> backoffMax) {
    public RetryIr {
      on = List.copyOf(on);
      statusCodes = List.copyOf(statusCodes);
    }

    public RetryIr(int attempts, List<String> on, Optional<Duration> perTryTimeout) {
      this(attempts, on, perTryTimeout, List.of(), Optional.empty(), Optional.empty());
    }
  }

  /**
   * {@code fault delay …} and {@code fault abort …} of one route or call; {@code header}: only
   * requests that carry it.
   */
  record FaultIr(Optional<DelayIr> delay, Optional<AbortIr> abort, Optional<String> header) {}

  /** Delay {@code percent}% of requests by {@code delay}. */
  record DelayIr(Duration delay, int percent) {}

  /** Answer {@code percent}% of requests with {@code status} (a gRPC status when {@code grpc}). */
  record AbortIr(int status, boolean grpc, int percent) {}

  /** How a path changes: before forwarding ({@code rewrite}) or in a redirect's Location. */
  sealed interface PathRewriteIr {}

  /** {@code rewrite prefix "from" => "to"}: a path starting with {@code from}. */
  record PrefixRewriteIr(String from, String to) implements PathRewriteIr {}

  /**
   * {@code rewrite prefix "/"}, {@code redirect prefix "/new/"}: the prefix the route's {@code
   * /…/**} matched becomes {@code to} (Gateway API ReplacePrefixMatch: {@code /foo} → {@code /}
   * maps {@code /foo/bar} to {@code /bar} and {@code /foo} to {@code /}).
   */
  record ReplacePrefixIr(String to) implements PathRewriteIr {}

  /** {@code rewrite path "/x"}, {@code redirect path "/x"}: the whole path. */
  record ReplacePathIr(String path) implements PathRewriteIr {}
}
