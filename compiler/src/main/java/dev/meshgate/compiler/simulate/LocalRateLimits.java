package dev.meshgate.compiler.simulate;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.route.v3.RateLimit;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * local rate limits (issue 13): what a route's token bucket does to a burst ({@code expect burst N
 * …}): N requests sent at once, sharing headers and so one bucket (the route's, or its key's); the
 * last one is judged. The bucket starts full ({@code max_tokens}: the limit's {@code burst}, or its
 * rate) and nothing refills it within the burst, so the last request gets 429 exactly when N is
 * larger than the bucket, unless the limit is {@code dry-run} (Envoy counts and lets it pass). A
 * {@code global} limit's budget lives in the rate-limit service, shared with other replicas and
 * earlier traffic: a burst there is not simulated.
 */
final class LocalRateLimits {
  static final String LOCAL = "envoy.filters.http.local_ratelimit";
  static final String GLOBAL = "envoy.filters.http.ratelimit";

  private LocalRateLimits() {}

  /** The local filter: understood by the simulator (its per-route config is judged below). */
  static boolean understood(HttpFilter filter) {
    return filter.getName().equals(LOCAL);
  }

  /**
   * The last of {@code burst} requests, when a limit decides it: 429, or "not simulated" for a
   * global limit; empty when the request goes on (a dry-run limit adds a note).
   */
  static Optional<SimulatedOutcome> judge(
      Route route,
      VirtualHost host,
      TestRequest.ViaGateway request,
      int burst,
      Map<String, String> response,
      List<String> notes) {
    if (burst <= 1) {
      return Optional.empty();
    }
    Optional<LocalRateLimit> local = perRoute(route, host, LOCAL, LocalRateLimit.class);
    if (local.isPresent()) {
      LocalRateLimit config = local.get();
      long bucket = bucket(config, request);
      if (burst <= bucket) {
        notes.add(
            "route "
                + route.getName()
                + "'s rate limit bucket of "
                + bucket
                + " holds all "
                + burst
                + " requests of the burst");
        return Optional.empty();
      }
      if (!enforced(config)) {
        notes.add(
            "route "
                + route.getName()
                + "'s rate limit is dry-run: "
                + (burst - bucket)
                + " of the burst's "
                + burst
                + " requests are over its bucket of "
                + bucket
                + " and only counted, so all pass");
        return Optional.empty();
      }
      Map<String, String> headers = new LinkedHashMap<>();
      for (HeaderValueOption option : config.getResponseHeadersToAddList()) {
        headers.put(
            option.getHeader().getKey().toLowerCase(Locale.ROOT), option.getHeader().getValue());
      }
      // The connection manager's route, host and table header changes come after the filter's.
      headers.putAll(response);
      return Optional.of(new SimulatedOutcome.RateLimited(bucket, burst, headers));
    }
    if (route.getTypedPerFilterConfigMap().containsKey(GLOBAL)
        || host.getTypedPerFilterConfigMap().containsKey(GLOBAL)) {
      return Optional.of(
          new SimulatedOutcome.NotSimulated(
              "route "
                  + route.getName()
                  + " has a global rate limit, whose budget the rate-limit service keeps for"
                  + " every replica and all earlier traffic; a burst there is only known by"
                  + " sending it (integration tests)"));
    }
    notes.add(
        "route "
            + route.getName()
            + " has no local rate limit: all "
            + burst
            + " requests of the burst pass");
    return Optional.empty();
  }

  private static <T extends com.google.protobuf.Message> Optional<T> perRoute(
      Route route, VirtualHost host, String filter, Class<T> type) {
    Any any = route.getTypedPerFilterConfigMap().get(filter);
    if (any == null) {
      any = host.getTypedPerFilterConfigMap().get(filter);
    }
    if (any == null || !any.is(type)) {
      return Optional.empty();
    }
    return Optional.of(GatewayRouting.unpack(any, type));
  }

  private static boolean enforced(LocalRateLimit config) {
    if (!config.hasFilterEnforced()) {
      return false; // Envoy: without filter_enforced nothing is enforced
    }
    var percent = config.getFilterEnforced().getDefaultValue();
    return percent.getNumerator() > 0;
  }

  /**
   * The bucket the burst takes from: its key's when every request of it carries the key (the client
   * address always does; a header or a JWT claim when the request has it), else the route's default
   * bucket.
   */
  static long bucket(LocalRateLimit config, TestRequest.ViaGateway request) {
    boolean keyed =
        !config.getDescriptorsList().isEmpty()
            && !config.getRateLimitsList().isEmpty()
            && config.getRateLimitsList().stream()
                .allMatch(l -> l.getActionsList().stream().allMatch(a -> carries(a, request)));
    if (keyed) {
      return config.getDescriptors(0).getTokenBucket().getMaxTokens();
    }
    return config.getTokenBucket().getMaxTokens();
  }

  private static boolean carries(RateLimit.Action action, TestRequest.ViaGateway request) {
    return switch (action.getActionSpecifierCase()) {
      case REMOTE_ADDRESS -> true;
      case REQUEST_HEADERS ->
          request
              .headerMap()
              .containsKey(action.getRequestHeaders().getHeaderName().toLowerCase(Locale.ROOT));
      case METADATA -> {
        var path = action.getMetadata().getMetadataKey().getPathList();
        yield request.jwt()
            && !path.isEmpty()
            && request.jwtClaims().containsKey(path.getLast().getKey());
      }
      default -> false;
    };
  }
}
