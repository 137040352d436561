package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import dev.meshgate.compiler.ir.RateLimitIr;
import dev.meshgate.compiler.ir.VirtualHostIr;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.route.v3.RateLimit;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.LocalRateLimitDescriptor;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.RateLimitDescriptor;
import io.envoyproxy.envoy.extensions.common.ratelimit.v3.XRateLimitHeadersRFCVersion;
import io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.type.metadata.v3.MetadataKey;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.envoyproxy.envoy.type.v3.TokenBucket;
import java.util.List;

/**
 * local rate limits (issue 13; setting unit {@code setting/RateLimits}): Envoy's local_ratelimit
 * filter (slot {@link HttpFilters.Slot#LOCAL_RATE_LIMIT}) sits in the chain of a listener whose
 * routes have a limit, limiting nothing itself; each such route carries its own token bucket as the
 * filter's per-route config, so every route has buckets of its own (a host's or gateway's {@code
 * rate-limit} is the default for each route, not one budget they share).
 *
 * <p>A keyed limit ({@code by …}) adds one rate-limit action that makes a descriptor from the
 * request (the client address, a header, a claim from the JWT payload in dynamic metadata) and one
 * descriptor whose entry has no value: Envoy's wildcard, a bucket per distinct value, kept in an
 * LRU cache of {@link #MAX_KEYS} values (an evicted value starts again with a full bucket). A
 * request without the value (no such header, no token) takes from the route's default bucket, which
 * keyed requests leave alone ({@code always_consume_default_token_bucket: false}). Rate-limited
 * answers are 429 with the draft-03 {@code x-ratelimit-*} headers and a {@code retry-after} of the
 * refill interval (an upper bound: Envoy adds tokens at least that often); {@code dry-run} enforces
 * 0% (requests over the limit pass and only show in the {@code rate_limited} stats).
 */
final class RateLimits {
  static final String FILTER = "envoy.filters.http.local_ratelimit";

  /**
   * The stats prefix: a route's counters are {@code local_rate_limit.<route>.http_local_rate_limit.
   * {enabled,ok,rate_limited,enforced}}, with the route's name made a single stats segment.
   */
  static final String STAT_PREFIX = "local_rate_limit";

  /** How many distinct key values one keyed route keeps buckets for. */
  static final int MAX_KEYS = 10_000;

  private static final String KEY = "key";

  private RateLimits() {}

  /** The filter for a listener serving these virtual hosts, when one of their routes needs it. */
  static List<HttpFilter> filters(List<VirtualHostIr> hosts) {
    boolean any =
        hosts.stream()
            .flatMap(h -> h.routes().stream())
            .anyMatch(r -> r.rateLimit().filter(l -> !l.global()).isPresent());
    return any
        ? List.of(
            HttpFilter.newBuilder()
                .setName(FILTER)
                .setTypedConfig(
                    Any.pack(LocalRateLimit.newBuilder().setStatPrefix(STAT_PREFIX).build()))
                .build())
        : List.of();
  }

  /** A route's limit, as the filter's per-route config. */
  static void apply(RateLimitIr limit, Route.Builder route) {
    route.putTypedPerFilterConfig(FILTER, Any.pack(config(limit, statPrefix(route.getName()))));
  }

  /** {@code api.example/1} → {@code local_rate_limit.api_example_1}. */
  static String statPrefix(String routeName) {
    return STAT_PREFIX + "." + routeName.replaceAll("[^A-Za-z0-9_-]", "_");
  }

  private static LocalRateLimit config(RateLimitIr limit, String statPrefix) {
    TokenBucket bucket =
        TokenBucket.newBuilder()
            .setMaxTokens(saturated(limit.burst()))
            .setTokensPerFill(UInt32Value.of(saturated(limit.tokens())))
            .setFillInterval(ProtoDurations.of(limit.interval()))
            .build();
    LocalRateLimit.Builder config =
        LocalRateLimit.newBuilder()
            .setStatPrefix(statPrefix)
            .setTokenBucket(bucket)
            .setFilterEnabled(percent(100))
            .setFilterEnforced(percent(limit.dryRun() ? 0 : 100))
            .setEnableXRatelimitHeaders(XRateLimitHeadersRFCVersion.DRAFT_VERSION_03)
            .addResponseHeadersToAdd(
                HeaderValueOption.newBuilder()
                    .setHeader(
                        HeaderValue.newBuilder()
                            .setKey("retry-after")
                            .setValue(Long.toString(retryAfterSeconds(limit))))
                    .setAppendAction(
                        HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD));
    limit
        .key()
        .ifPresent(
            key -> {
              config.addRateLimits(RateLimit.newBuilder().addActions(action(key)));
              config.addDescriptors(
                  LocalRateLimitDescriptor.newBuilder()
                      .addEntries(RateLimitDescriptor.Entry.newBuilder().setKey(descriptorKey(key)))
                      .setTokenBucket(bucket));
              config.setAlwaysConsumeDefaultTokenBucket(BoolValue.of(false));
              config.setMaxDynamicDescriptors(UInt32Value.of(MAX_KEYS));
            });
    return config.build();
  }

  private static RateLimit.Action action(RateLimitIr.Key key) {
    RateLimit.Action.Builder action = RateLimit.Action.newBuilder();
    switch (key) {
      // Envoy names this descriptor entry itself: remote_address.
      case RateLimitIr.Key.ClientIp c ->
          action.setRemoteAddress(RateLimit.Action.RemoteAddress.getDefaultInstance());
      case RateLimitIr.Key.Header h ->
          action.setRequestHeaders(
              RateLimit.Action.RequestHeaders.newBuilder()
                  .setHeaderName(h.name())
                  .setDescriptorKey(KEY));
      case RateLimitIr.Key.JwtClaim c ->
          action.setMetadata(
              RateLimit.Action.MetaData.newBuilder()
                  .setDescriptorKey(KEY)
                  .setMetadataKey(
                      MetadataKey.newBuilder()
                          .setKey(Jwt.FILTER)
                          .addPath(MetadataKey.PathSegment.newBuilder().setKey(Jwt.PAYLOAD))
                          .addPath(MetadataKey.PathSegment.newBuilder().setKey(c.claim())))
                  .setSource(RateLimit.Action.MetaData.Source.DYNAMIC));
    }
    return action.build();
  }

  /** The descriptor entry's key the action makes. */
  private static String descriptorKey(RateLimitIr.Key key) {
    return key instanceof RateLimitIr.Key.ClientIp ? "remote_address" : KEY;
  }

  /**
   * Whole seconds, rounded up, until the next token: Envoy adds tokens continuously, one every
   * interval / rate (the same figure as its {@code x-ratelimit-reset}).
   */
  private static long retryAfterSeconds(RateLimitIr limit) {
    long millis = limit.interval().toMillis() / Math.max(1, limit.tokens());
    return Math.max(1, (millis + 999) / 1000);
  }

  private static int saturated(long value) {
    return (int) Math.min(value, Integer.MAX_VALUE);
  }

  private static RuntimeFractionalPercent percent(int percent) {
    return RuntimeFractionalPercent.newBuilder()
        .setDefaultValue(
            FractionalPercent.newBuilder()
                .setNumerator(percent)
                .setDenominator(FractionalPercent.DenominatorType.HUNDRED))
        .build();
  }
}
