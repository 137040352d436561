package dev.meshgate.compiler.setting;

import java.util.Locale;

/**
 * Where a setting is written. A setting may sit on a service (the default for every caller, edge
 * routes and mesh calls alike), on a gateway or host (the default for its routes), on a route, or
 * on a call. Declared from least to most specific: when a setting is written at several places, the
 * most specific one wins as a whole; header changes merge per header name ({@link
 * RouteParts#inherit}). Route statements may sit on a gateway or host when their unit allows it;
 * service attachments are where cluster-level settings grow.
 */
public enum Attachment {
  SERVICE,
  GATEWAY,
  HOST,
  ROUTE,
  CALL;

  /** The keyword a message uses for the place: "route", "call", … */
  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Whether a value written here overrides one written at {@code other}, for the chain that can
   * reach one request: service → gateway → host → route at the edge, service → call in the mesh.
   */
  public boolean overrides(Attachment other) {
    return compareTo(other) > 0;
  }
}
