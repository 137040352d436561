package dev.meshgate.compiler.translate;

import dev.meshgate.compiler.ir.RouteActionIr;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.RedirectAction.RedirectResponseCode;
import java.net.URI;
import java.net.URISyntaxException;

/** {@code redirect STATUS "LOCATION"}: Envoy answers with the redirect itself. */
final class Redirects {
  private Redirects() {}

  static RedirectAction action(RouteActionIr.Redirect redirect) {
    RedirectAction.Builder action =
        RedirectAction.newBuilder().setResponseCode(responseCode(redirect.status()));
    String location = redirect.location();
    if (location.startsWith("/")) {
      // Same scheme and host; the whole path (and query, if given) is replaced.
      action.setPathRedirect(location);
      return action.build();
    }
    URI uri = uri(location);
    action.setSchemeRedirect(uri.getScheme());
    action.setHostRedirect(uri.getHost());
    if (uri.getPort() != -1) {
      action.setPortRedirect(uri.getPort());
    }
    // "https://host" names the site's root: send clients to "/", not to the path they asked.
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    action.setPathRedirect(uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery());
    return action.build();
  }

  static RedirectResponseCode responseCode(int status) {
    return switch (status) {
      case 301 -> RedirectResponseCode.MOVED_PERMANENTLY;
      case 302 -> RedirectResponseCode.FOUND;
      case 303 -> RedirectResponseCode.SEE_OTHER;
      case 307 -> RedirectResponseCode.TEMPORARY_REDIRECT;
      case 308 -> RedirectResponseCode.PERMANENT_REDIRECT;
      // The checker allows only these; anything else is a compiler bug.
      default -> throw new IllegalArgumentException("not a redirect status: " + status);
    };
  }

  private static URI uri(String location) {
    try {
      URI uri = new URI(location);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "redirect location is neither a path nor a URL: " + location);
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("redirect location is not a valid URL: " + location, e);
    }
  }
}
