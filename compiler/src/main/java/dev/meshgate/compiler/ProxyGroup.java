package dev.meshgate.compiler;

import java.util.Comparator;
import java.util.Locale;

/**
 * A set of Envoys that share one configuration: every replica of gateway {@code edge}, or every
 * sidecar of one service. An Envoy names its group with {@code node.cluster} (the name) and the
 * node metadata key {@code meshgate.role} (the role). Sorted gateways first, then sidecars, each by
 * name.
 */
public record ProxyGroup(Role role, String name) implements Comparable<ProxyGroup> {

  public enum Role {
    GATEWAY,
    SIDECAR;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Comparator<ProxyGroup> ORDER =
      Comparator.comparing(ProxyGroup::role).thenComparing(ProxyGroup::name);

  public static ProxyGroup gateway(String name) {
    return new ProxyGroup(Role.GATEWAY, name);
  }

  public static ProxyGroup sidecar(String service) {
    return new ProxyGroup(Role.SIDECAR, service);
  }

  /** {@code gateway:edge}: the key snapshots are stored under and status pages print. */
  public String key() {
    return role.label() + ":" + name;
  }

  /** {@code gateway-edge}: a file name without the extension. */
  public String fileStem() {
    return role.label() + "-" + name;
  }

  @Override
  public int compareTo(ProxyGroup other) {
    return ORDER.compare(this, other);
  }
}
