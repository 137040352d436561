package dev.meshgate.xds;

import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Locale;

/**
 * Which proxy group an Envoy belongs to: {@code node.metadata["meshgate.role"]} (default {@code
 * gateway}) and {@code node.cluster}, as {@code ProxyGroup.key()} spells it ({@code gateway:edge}).
 * Every Envoy of a group shares one snapshot.
 */
final class NodeGroups {
  static final String ROLE_KEY = "meshgate.role";
  static final String DEFAULT_ROLE = "gateway";

  private NodeGroups() {}

  static String key(Node node) {
    Value role = node.getMetadata().getFieldsMap().get(ROLE_KEY);
    String roleName =
        role != null && role.hasStringValue() && !role.getStringValue().isBlank()
            ? role.getStringValue().trim().toLowerCase(Locale.ROOT)
            : DEFAULT_ROLE;
    return roleName + ":" + node.getCluster();
  }
}
