package dev.meshgate.compiler.translate;

import dev.meshgate.compiler.ir.HeaderMutationIr;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption.HeaderAppendAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import java.util.List;
import java.util.Locale;

/**
 * {@code set|add|remove request-header|response-header}, on the route that declares them. The order
 * is Gateway API's, whatever order the policy writes them in: remove, then set, then add. Envoy
 * applies a route's removals before its additions, and its additions in list order, so the sets are
 * listed before the adds (a {@code set} after an {@code add} would erase the added value).
 */
final class HeaderMutations {
  private HeaderMutations() {}

  static void apply(List<HeaderMutationIr> mutations, Route.Builder route) {
    for (HeaderMutationIr mutation : mutations) {
      if (mutation instanceof HeaderMutationIr.Remove remove) {
        String name = lower(remove.name());
        switch (remove.direction()) {
          case REQUEST -> route.addRequestHeadersToRemove(name);
          case RESPONSE -> route.addResponseHeadersToRemove(name);
        }
      }
    }
    for (HeaderMutationIr mutation : mutations) {
      if (mutation instanceof HeaderMutationIr.Set set) {
        add(
            route,
            set.direction(),
            option(set.name(), set.value(), HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD));
      }
    }
    for (HeaderMutationIr mutation : mutations) {
      if (mutation instanceof HeaderMutationIr.Add a) {
        add(
            route,
            a.direction(),
            option(a.name(), a.value(), HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD));
      }
    }
  }

  private static void add(
      Route.Builder route, HeaderMutationIr.Direction direction, HeaderValueOption option) {
    switch (direction) {
      case REQUEST -> route.addRequestHeadersToAdd(option);
      case RESPONSE -> route.addResponseHeadersToAdd(option);
    }
  }

  // HTTP header names are case-insensitive and HTTP/2 requires lower case.
  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /**
   * {@code set}: the header ends up with exactly this value, whatever came in; {@code add}: one
   * more value, the incoming ones stay.
   */
  private static HeaderValueOption option(String name, String value, HeaderAppendAction action) {
    return HeaderValueOption.newBuilder()
        .setHeader(HeaderValue.newBuilder().setKey(lower(name)).setValue(value))
        .setAppendAction(action)
        .build();
  }
}
