package dev.meshgate.xds.identity;

import dev.meshgate.compiler.ProxyGroup;
import java.util.Locale;
import java.util.Optional;

/**
 * How proxies and the xDS server are named in their certificates' URI SANs. A proxy's name is its
 * group: {@code urn:meshgate:proxy:<role>:<name>}, e.g. {@code urn:meshgate:proxy:sidecar:orders};
 * the server is {@code urn:meshgate:xds-server}. These are not SPIFFE IDs on purpose: an xDS
 * credential must never pass for a workload identity.
 */
public final class ProxyIdentity {
  public static final String PROXY_PREFIX = "urn:meshgate:proxy:";
  public static final String XDS_SERVER = "urn:meshgate:xds-server";

  private ProxyIdentity() {}

  /** {@code urn:meshgate:proxy:gateway:edge} for group {@code gateway:edge}. */
  public static String uri(ProxyGroup group) {
    return PROXY_PREFIX + group.key();
  }

  /** The group key ({@code sidecar:orders}) a proxy URI names, if it is one. */
  public static Optional<String> parse(String uri) {
    if (!uri.startsWith(PROXY_PREFIX)) {
      return Optional.empty();
    }
    String key = uri.substring(PROXY_PREFIX.length());
    int colon = key.indexOf(':');
    if (colon <= 0 || colon == key.length() - 1) {
      return Optional.empty();
    }
    String role = key.substring(0, colon);
    for (ProxyGroup.Role r : ProxyGroup.Role.values()) {
      if (r.label().equals(role.toLowerCase(Locale.ROOT))) {
        return Optional.of(key);
      }
    }
    return Optional.empty();
  }
}
