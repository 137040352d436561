package dev.meshgate.compiler.setting;

import java.util.Locale;

/**
 * Where a setting is written. A setting may sit on a service (the default for every caller, edge
 * routes and mesh calls alike), on a gateway or host (the default for its routes), on a route, or
 * on a call. Declared from least to most specific: when one field is set at several places, the
 * most specific one wins, field by field (a route's {@code retry … per-try 1s} keeps the service's
 * attempts and conditions and replaces only the per-try timeout). Today the grammar admits route
 * and call settings; service, gateway and host attachments are the places new settings grow into.
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
