package dev.meshgate.xds;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which types a proxy has not ACKed at the version its group serves, for longer than {@link
 * #TOLERANCE} after the group last changed (or the proxy connected). A proxy stuck there was either
 * never sent the new version (issue 9.1 was such a bug) or keeps rejecting it; /status lists the
 * types under {@code lagging} and {@code meshgate_proxies_lagging} counts such proxies.
 */
final class Lag {
  /** Longer than any healthy push takes, even to a busy Envoy warming clusters. */
  static final Duration TOLERANCE = Duration.ofSeconds(30);

  private Lag() {}

  static Set<XdsType> lagging(Publisher.View view, ProxyTracker.ProxyStatus proxy, Instant now) {
    Set<XdsType> lagging = EnumSet.noneOf(XdsType.class);
    TypeVersions served = view.groups().get(proxy.group());
    if (served == null) {
      return lagging; // a group the policy does not have: reported as unknown elsewhere
    }
    Instant since = view.changedAt(proxy.group());
    if (proxy.connectedAt().isAfter(since)) {
      since = proxy.connectedAt();
    }
    if (Duration.between(since, now).compareTo(TOLERANCE) < 0) {
      return lagging;
    }
    for (XdsType type : XdsType.values()) {
      String version = version(served, type);
      if (version.isEmpty()) {
        continue; // no secrets for this group
      }
      String acked =
          Optional.ofNullable(proxy.xds().get(type))
              .flatMap(ProxyTracker.TypeStatus::ackedVersion)
              .orElse("");
      if (!acked.equals(version)) {
        lagging.add(type);
      }
    }
    return lagging;
  }

  private static String version(TypeVersions v, XdsType type) {
    return switch (type) {
      case CLUSTERS -> v.clusters();
      case ENDPOINTS -> v.endpoints();
      case LISTENERS -> v.listeners();
      case ROUTES -> v.routes();
      case SECRETS -> v.secrets();
    };
  }
}
