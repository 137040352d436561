package dev.meshgate.compiler.translate;

import dev.meshgate.compiler.ir.HeaderMutationIr;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption.HeaderAppendAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import java.util.List;
import java.util.Locale;

/** {@code set|remove request-header|response-header}, on the route that declares them. */
final class HeaderMutations {
  private HeaderMutations() {}

  static void apply(List<HeaderMutationIr> mutations, Route.Builder route) {
    for (HeaderMutationIr mutation : mutations) {
      // HTTP header names are case-insensitive and HTTP/2 requires lower case.
      String name = mutation.name().toLowerCase(Locale.ROOT);
      switch (mutation) {
        case HeaderMutationIr.Set set -> {
          HeaderValueOption option = set(name, set.value());
          switch (set.direction()) {
            case REQUEST -> route.addRequestHeadersToAdd(option);
            case RESPONSE -> route.addResponseHeadersToAdd(option);
          }
        }
        case HeaderMutationIr.Remove remove -> {
          switch (remove.direction()) {
            case REQUEST -> route.addRequestHeadersToRemove(name);
            case RESPONSE -> route.addResponseHeadersToRemove(name);
          }
        }
      }
    }
  }

  /** {@code set} means the header ends up with exactly this value, whatever came in. */
  private static HeaderValueOption set(String name, String value) {
    return HeaderValueOption.newBuilder()
        .setHeader(HeaderValue.newBuilder().setKey(name).setValue(value))
        .setAppendAction(HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)
        .build();
  }
}
