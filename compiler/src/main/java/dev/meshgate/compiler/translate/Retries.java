package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import dev.meshgate.compiler.ir.RouteActionIr.RetryIr;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code retry …}: the route's Envoy retry policy (setting unit: {@code setting/Retries}). */
final class Retries {
  private Retries() {}

  /** The predicate that makes a retry pick another endpoint than the ones that already failed. */
  static final String PREVIOUS_HOSTS = "envoy.retry_host_predicates.previous_hosts";

  /** How many endpoints a retry draws before settling for one that already failed. */
  static final int HOST_SELECTION_ATTEMPTS = 3;

  /**
   * The route's retry policy, and its per-attempt limit: {@code per-try} of the retry or the
   * route's {@code backend-timeout} (never both: the checker says so).
   */
  static Optional<RetryPolicy> policy(Optional<RetryIr> retry, Optional<Duration> backendTimeout) {
    if (retry.isEmpty()) {
      // Envoy reads per_try_timeout even when nothing is retried: the first attempt is bounded.
      return backendTimeout.map(
          t ->
              RetryPolicy.newBuilder()
                  .setNumRetries(UInt32Value.of(0))
                  .setPerTryTimeout(ProtoDurations.of(t))
                  .build());
    }
    RetryPolicy.Builder policy = policy(retry.get()).toBuilder();
    backendTimeout.ifPresent(t -> policy.setPerTryTimeout(ProtoDurations.of(t)));
    return Optional.of(policy.build());
  }

  static RetryPolicy policy(RetryIr retry) {
    List<String> on = new ArrayList<>(retry.on());
    if (!retry.statusCodes().isEmpty()) {
      on.add("retriable-status-codes");
    }
    RetryPolicy.Builder policy =
        RetryPolicy.newBuilder()
            .setRetryOn(String.join(",", on))
            .setNumRetries(UInt32Value.of(retry.attempts()))
            .addAllRetriableStatusCodes(retry.statusCodes())
            // A retry goes to another endpoint when there is one: the one that just failed is
            // the likeliest to fail again (Istio does the same by default).
            .addRetryHostPredicate(
                RetryPolicy.RetryHostPredicate.newBuilder()
                    .setName(PREVIOUS_HOSTS)
                    .setTypedConfig(Any.pack(PreviousHostsPredicate.getDefaultInstance())))
            .setHostSelectionRetryMaxAttempts(HOST_SELECTION_ATTEMPTS);
    retry.perTryTimeout().ifPresent(perTry -> policy.setPerTryTimeout(ProtoDurations.of(perTry)));
    retry
        .backoff()
        .ifPresent(
            base -> {
              RetryPolicy.RetryBackOff.Builder backoff =
                  RetryPolicy.RetryBackOff.newBuilder().setBaseInterval(ProtoDurations.of(base));
              retry.backoffMax().ifPresent(max -> backoff.setMaxInterval(ProtoDurations.of(max)));
              policy.setRetryBackOff(backoff);
            });
    return policy.build();
  }
}
