package dev.meshgate.compiler.translate;

import dev.meshgate.compiler.ir.RouteActionIr;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;

/** {@code respond STATUS ["BODY"]}: Envoy answers by itself. */
final class DirectResponses {
  private DirectResponses() {}

  static DirectResponseAction action(RouteActionIr.Respond respond) {
    DirectResponseAction.Builder action =
        DirectResponseAction.newBuilder().setStatus(respond.status());
    // An empty inline body is still a body source in Envoy; no body is the honest encoding.
    if (!respond.body().isEmpty()) {
      action.setBody(DataSource.newBuilder().setInlineString(respond.body()));
    }
    return action.build();
  }
}
