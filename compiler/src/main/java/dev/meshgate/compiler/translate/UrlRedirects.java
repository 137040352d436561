package dev.meshgate.compiler.translate;

import dev.meshgate.compiler.ir.PathMatchIr;
import dev.meshgate.compiler.ir.RouteActionIr;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import java.util.List;
import java.util.Optional;

/**
 * {@code redirect [STATUS] PART…} (setting unit: {@code setting/UrlRedirects}): an Envoy redirect
 * that changes only the parts written, with the port rules of the Gateway API's
 * HTTPRequestRedirectFilter.
 */
final class UrlRedirects {
  private UrlRedirects() {}

  /**
   * Where the redirect sits: the virtual host's domains, and the port and scheme of the gateway's
   * one routing listener (empty when it has several).
   */
  record Place(List<String> domains, Optional<Integer> listenerPort, String listenerScheme) {
    Place {
      domains = List.copyOf(domains);
    }
  }

  static RedirectAction action(RouteActionIr.RedirectTo r, PathMatchIr match, Place place) {
    RedirectAction.Builder action =
        RedirectAction.newBuilder().setResponseCode(Redirects.responseCode(r.status()));
    r.scheme().ifPresent(action::setSchemeRedirect);
    r.host().ifPresent(action::setHostRedirect);
    if (r.port().isPresent()) {
      action.setPortRedirect(r.port().get());
    } else if (r.scheme().isPresent()) {
      // The new scheme's well-known port, left out of the Location. Envoy writes no port after a
      // new host; without one it keeps the client's Host (and its port) unless told a port, so
      // a host with one exact domain is named, and otherwise the port is written (":443").
      if (r.host().isEmpty()) {
        Optional<String> only = onlyExactDomain(place.domains());
        if (only.isPresent()) {
          action.setHostRedirect(only.get());
        } else {
          action.setPortRedirect(wellKnown(r.scheme().get()));
        }
      }
    } else if (r.host().isPresent()) {
      // A new host keeps the gateway listener's port (Envoy would drop the client's).
      place
          .listenerPort()
          .filter(p -> p != wellKnown(place.listenerScheme()))
          .ifPresent(action::setPortRedirect);
    }
    r.path()
        .ifPresent(
            p -> {
              switch (p) {
                case RouteActionIr.ReplacePathIr whole -> action.setPathRedirect(whole.path());
                default -> action.setRegexRewrite(PathRewrites.regex(p, match));
              }
            });
    action.setStripQuery(r.stripQuery());
    return action.build();
  }

  static int wellKnown(String scheme) {
    return scheme.equals("https") ? 443 : 80;
  }

  private static Optional<String> onlyExactDomain(List<String> domains) {
    return domains.size() == 1 && !domains.getFirst().contains("*")
        ? Optional.of(domains.getFirst())
        : Optional.empty();
  }
}
