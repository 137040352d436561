package dev.meshgate.compiler.translate;

import com.google.protobuf.UInt32Value;
import dev.meshgate.compiler.ir.RouteActionIr;
import dev.meshgate.compiler.ir.RouteActionIr.PrefixRewriteIr;
import dev.meshgate.compiler.ir.RouteActionIr.RetryIr;
import dev.meshgate.compiler.ir.RouteActionIr.WeightedClusterIr;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;

/** {@code to …} with its timeout, retry and rewrite: an Envoy RouteAction. */
final class ForwardActions {
  private ForwardActions() {}

  static RouteAction action(RouteActionIr.Forward forward) {
    RouteAction.Builder action = RouteAction.newBuilder();
    if (forward.targets().size() == 1) {
      action.setCluster(forward.targets().getFirst().cluster());
    } else {
      // No total_weight: it is deprecated, and Envoy sums the weights itself (ours make 100).
      WeightedCluster.Builder split = WeightedCluster.newBuilder();
      for (WeightedClusterIr target : forward.targets()) {
        split.addClusters(
            WeightedCluster.ClusterWeight.newBuilder()
                .setName(target.cluster())
                .setWeight(UInt32Value.of(target.weight())));
      }
      action.setWeightedClusters(split);
    }
    // Without `timeout` the route keeps Envoy's default of 15s (upstream response complete):
    // an explicit default here would only repeat Envoy and hide which routes chose one.
    forward.timeout().ifPresent(timeout -> action.setTimeout(ProtoDurations.of(timeout)));
    forward.retry().ifPresent(retry -> action.setRetryPolicy(retryPolicy(retry)));
    forward.rewrite().ifPresent(rewrite -> action.setRegexRewrite(rewrite(rewrite)));
    return action.build();
  }

  private static RetryPolicy retryPolicy(RetryIr retry) {
    RetryPolicy.Builder policy =
        RetryPolicy.newBuilder()
            .setRetryOn(String.join(",", retry.on()))
            .setNumRetries(UInt32Value.of(retry.attempts()));
    retry.perTryTimeout().ifPresent(perTry -> policy.setPerTryTimeout(ProtoDurations.of(perTry)));
    return policy.build();
  }

  /**
   * {@code rewrite prefix "/catalog/" => "/"} as a regex rewrite anchored at the start of the path.
   * Not {@code prefix_rewrite}: that replaces the prefix the route <em>matched</em>, and a {@code
   * path_separated_prefix} match is "/catalog" with no trailing slash, so "/catalog/items" would
   * become "//items"; it also cannot say "only when the path starts with /catalog/" ("/catalog"
   * itself must pass unchanged), which the anchored regex does.
   */
  private static RegexMatchAndSubstitute rewrite(PrefixRewriteIr rewrite) {
    return RegexMatchAndSubstitute.newBuilder()
        .setPattern(Regexes.matcher("^" + Regexes.quote(rewrite.from())))
        .setSubstitution(Regexes.literalSubstitution(rewrite.to()))
        .build();
  }
}
