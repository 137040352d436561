package dev.meshgate.compiler.ir;

/** How a route matches the request path. */
public sealed interface PathMatchIr {
  /** {@code /healthz}: the whole path, exactly. */
  record Exact(String path) implements PathMatchIr {}

  /**
   * {@code /api/**}: the path {@code /api} itself and anything under {@code /api/}, on segment
   * boundaries ({@code /apix} does not match). {@code /**} is the catch-all, prefix {@code /}.
   */
  record Prefix(String prefix) implements PathMatchIr {}

  /** {@code ~ "^/v[0-9]+/.*"}: an RE2 regex over the whole path. */
  record Regex(String regex) implements PathMatchIr {}
}
