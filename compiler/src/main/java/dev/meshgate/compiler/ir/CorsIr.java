package dev.meshgate.compiler.ir;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A route's CORS policy, answered by Envoy's CORS filter: origins (exact, or a regex; a {@code *}
 * wildcard is lowered to a regex), the methods and request headers a preflight may ask for, the
 * response headers scripts may read, whether credentials are allowed, and how long a browser may
 * cache a preflight answer.
 */
public record CorsIr(
    List<Origin> origins,
    List<String> methods,
    List<String> headers,
    List<String> exposeHeaders,
    boolean credentials,
    Optional<Duration> maxAge) {
  public CorsIr {
    origins = List.copyOf(origins);
    methods = List.copyOf(methods);
    headers = List.copyOf(headers);
    exposeHeaders = List.copyOf(exposeHeaders);
  }

  /** One allowed origin: {@code value} is exact text or, when {@code regex}, a RE2 regex. */
  public record Origin(boolean regex, String value) {}
}
