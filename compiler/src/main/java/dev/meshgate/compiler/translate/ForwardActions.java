package dev.meshgate.compiler.translate;

import com.google.protobuf.UInt32Value;
import dev.meshgate.compiler.ir.HostRewriteIr;
import dev.meshgate.compiler.ir.PathMatchIr;
import dev.meshgate.compiler.ir.RouteActionIr;
import dev.meshgate.compiler.ir.RouteActionIr.WeightedClusterIr;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;

/**
 * {@code to …} (one cluster or a weighted split) with its timeout: an Envoy RouteAction; the
 * route's retry policy is {@link Retries}, its rewrite {@link Rewrites}.
 */
final class ForwardActions {
  private ForwardActions() {}

  static RouteAction action(RouteActionIr.Forward forward) {
    return action(forward, new PathMatchIr.Prefix("/"));
  }

  /** {@code match}: the route's path match, which {@code rewrite prefix "/"} replaces. */
  static RouteAction action(RouteActionIr.Forward forward, PathMatchIr match) {
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
    // `timeout none` is a zero duration: Envoy's way to say the route has no timeout.
    forward.timeout().ifPresent(timeout -> action.setTimeout(ProtoDurations.of(timeout)));
    Retries.policy(forward.retry(), forward.backendTimeout()).ifPresent(action::setRetryPolicy);
    forward
        .rewrite()
        .ifPresent(rewrite -> action.setRegexRewrite(PathRewrites.regex(rewrite, match)));
    // Envoy's route-level host rewrite (headers_to_add may not touch Host). auto_host_rewrite
    // sends the EDS hostname of the endpoint Envoy picked (the service's cluster is EDS).
    forward
        .hostRewrite()
        .ifPresent(
            h -> {
              switch (h) {
                case HostRewriteIr.Literal l -> action.setHostRewriteLiteral(l.host());
                case HostRewriteIr.ToEndpoint e ->
                    action.setAutoHostRewrite(
                        com.google.protobuf.BoolValue.newBuilder().setValue(true));
              }
            });
    forward.mirrors().forEach(mirror -> action.addRequestMirrorPolicies(Mirrors.policy(mirror)));
    forward.hashPolicies().forEach(h -> action.addHashPolicy(HashPolicies.policy(h)));
    return action.build();
  }
}
