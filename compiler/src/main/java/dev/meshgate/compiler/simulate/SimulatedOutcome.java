package dev.meshgate.compiler.simulate;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What the simulated Envoy did with a request. */
public sealed interface SimulatedOutcome {

  /**
   * Sent upstream: the split, the path and headers the upstream gets, the headers the route adds to
   * the response, and the clusters that get a copy ({@code mirror}) with the share they copy.
   */
  record Forwarded(
      List<ExpectedOutcome.Share> shares,
      String upstreamPath,
      Map<String, String> upstreamHeaders,
      Map<String, String> responseHeaders,
      List<ExpectedOutcome.Share> mirrors)
      implements SimulatedOutcome {
    public Forwarded {
      shares = List.copyOf(shares);
      upstreamHeaders = Map.copyOf(upstreamHeaders);
      responseHeaders = Map.copyOf(responseHeaders);
      mirrors = List.copyOf(mirrors);
    }

    public Forwarded(
        List<ExpectedOutcome.Share> shares,
        String upstreamPath,
        Map<String, String> upstreamHeaders,
        Map<String, String> responseHeaders) {
      this(shares, upstreamPath, upstreamHeaders, responseHeaders, List.of());
    }

    @Override
    public String toString() {
      return new ExpectedOutcome.Forward(shares)
          + mirrors.stream().map(m -> " mirror " + m).collect(Collectors.joining());
    }
  }

  /** Answered by the proxy from the route ({@code respond}). */
  record DirectResponse(int status, String body, Map<String, String> responseHeaders)
      implements SimulatedOutcome {
    public DirectResponse {
      responseHeaders = Map.copyOf(responseHeaders);
    }

    @Override
    public String toString() {
      return Integer.toString(status);
    }
  }

  /**
   * Answered by the route's fault filter before routing: an abort that hits every request like this
   * one (100%, or every request with the fault's header). Envoy's body is {@code fault filter
   * abort}; the response header changes of the route, its host and gateway still apply.
   */
  record Aborted(int status, Map<String, String> responseHeaders) implements SimulatedOutcome {
    public Aborted {
      responseHeaders = Map.copyOf(responseHeaders);
    }

    @Override
    public String toString() {
      return "fault " + status;
    }
  }

  /** A redirect: its status and the full Location Envoy would send. */
  record Redirected(int status, String location, Map<String, String> responseHeaders)
      implements SimulatedOutcome {
    public Redirected {
      responseHeaders = Map.copyOf(responseHeaders);
    }

    @Override
    public String toString() {
      return "redirect " + status + " \"" + location + "\"";
    }
  }

  /**
   * local rate limits (issue 13): 429 from the route's local_ratelimit filter, the last request of
   * a burst that emptied its token bucket. Envoy's body is {@code local_rate_limited}; the filter's
   * {@code retry-after} and the response header changes of the route, its host and gateway apply.
   */
  record RateLimited(long bucket, int burst, Map<String, String> responseHeaders)
      implements SimulatedOutcome {
    public static final String BODY = "local_rate_limited";

    public RateLimited {
      responseHeaders = Map.copyOf(responseHeaders);
    }

    @Override
    public String toString() {
      return "429";
    }
  }

  /**
   * The simulator cannot know: a burst on a route whose budget a global rate-limit service keeps
   * ({@code reason} says why).
   */
  record NotSimulated(String reason) implements SimulatedOutcome {
    @Override
    public String toString() {
      return "not simulated";
    }
  }

  /** 404: no virtual host or no route matches ({@code reason} says which). */
  record NotFound(String reason) implements SimulatedOutcome {
    @Override
    public String toString() {
      return "404";
    }
  }

  /** An east-west call passed the callee's authorization. */
  record Allowed() implements SimulatedOutcome {
    @Override
    public String toString() {
      return "allowed";
    }
  }

  /** 403 from an authorization filter. */
  record Denied() implements SimulatedOutcome {
    @Override
    public String toString() {
      return "denied";
    }
  }

  /**
   * The connection never got to HTTP: the callee accepts only mTLS and the caller has no
   * certificate.
   */
  record Refused(String reason) implements SimulatedOutcome {
    @Override
    public String toString() {
      return "denied";
    }
  }

  /** Headers as {@code "k" = "v"} pairs, sorted, for messages. */
  static String headers(Map<String, String> headers) {
    return headers.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> "\"" + e.getKey() + "\" = \"" + e.getValue() + "\"")
        .collect(Collectors.joining(", "));
  }
}
