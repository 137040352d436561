package dev.meshgate.compiler.translate;

import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;

/** Every dynamic resource comes over the one ADS stream, in API version v3. */
final class ConfigSources {
  /**
   * Built once: every cluster, RDS reference and SDS secret of every group points at it, and a
   * protobuf message is immutable, so they can all share this one.
   */
  private static final ConfigSource ADS =
      ConfigSource.newBuilder()
          .setAds(AggregatedConfigSource.getDefaultInstance())
          .setResourceApiVersion(ApiVersion.V3)
          .build();

  private ConfigSources() {}

  static ConfigSource ads() {
    return ADS;
  }
}
