package dev.meshgate.compiler.translate;

import dev.meshgate.compiler.ir.RouteActionIr;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.route.v3.RouteAction.RequestMirrorPolicy;
import io.envoyproxy.envoy.type.v3.FractionalPercent;

/**
 * {@code mirror svc [N%]}: one of the route action's {@code request_mirror_policies}. Envoy sends
 * the copy fire-and-forget (the response is dropped) with {@code -shadow} appended to the Host; the
 * share is a fixed runtime fraction with no runtime key, so nothing outside the policy changes it.
 * 100% leaves the fraction out: Envoy then mirrors every request.
 */
final class Mirrors {
  private Mirrors() {}

  static RequestMirrorPolicy policy(RouteActionIr.MirrorIr mirror) {
    RequestMirrorPolicy.Builder policy =
        RequestMirrorPolicy.newBuilder().setCluster(mirror.cluster());
    if (mirror.percent() < 100) {
      policy.setRuntimeFraction(
          RuntimeFractionalPercent.newBuilder()
              .setDefaultValue(
                  FractionalPercent.newBuilder()
                      .setNumerator(mirror.percent())
                      .setDenominator(FractionalPercent.DenominatorType.HUNDRED)));
    }
    return policy.build();
  }
}
