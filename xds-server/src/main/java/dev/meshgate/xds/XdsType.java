package dev.meshgate.xds;

import io.envoyproxy.controlplane.cache.Resources;
import java.util.Optional;

/** The xDS resource types we serve, named as /status and /metrics print them. */
enum XdsType {
  CLUSTERS(Resources.V3.CLUSTER_TYPE_URL),
  ENDPOINTS(Resources.V3.ENDPOINT_TYPE_URL),
  LISTENERS(Resources.V3.LISTENER_TYPE_URL),
  ROUTES(Resources.V3.ROUTE_TYPE_URL),
  SECRETS(Resources.V3.SECRET_TYPE_URL);

  private final String typeUrl;

  XdsType(String typeUrl) {
    this.typeUrl = typeUrl;
  }

  String typeUrl() {
    return typeUrl;
  }

  String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** This type's version among a group's {@code versions} (empty: the group has none). */
  String of(TypeVersions versions) {
    return switch (this) {
      case CLUSTERS -> versions.clusters();
      case ENDPOINTS -> versions.endpoints();
      case LISTENERS -> versions.listeners();
      case ROUTES -> versions.routes();
      case SECRETS -> versions.secrets();
    };
  }

  static Optional<XdsType> ofTypeUrl(String typeUrl) {
    for (XdsType type : values()) {
      if (type.typeUrl.equals(typeUrl)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
