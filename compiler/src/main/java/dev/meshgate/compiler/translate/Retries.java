package dev.meshgate.compiler.translate;

import com.google.protobuf.UInt32Value;
import dev.meshgate.compiler.ir.RouteActionIr.RetryIr;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;

/** {@code retry …}: the route's Envoy retry policy (setting unit: {@code setting/Retries}). */
final class Retries {
  private Retries() {}

  static RetryPolicy policy(RetryIr retry) {
    RetryPolicy.Builder policy =
        RetryPolicy.newBuilder()
            .setRetryOn(String.join(",", retry.on()))
            .setNumRetries(UInt32Value.of(retry.attempts()));
    retry.perTryTimeout().ifPresent(perTry -> policy.setPerTryTimeout(ProtoDurations.of(perTry)));
    return policy.build();
  }
}
