package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;
import java.util.List;

/**
 * {@code call CALLER -> CALLEE { timeout … retry … port … }}: the client side of one dependency.
 * The body holds only {@link RouteStmt.Timeout} and {@link RouteStmt.Retry}, which mean what they
 * mean on a route, and {@link RouteStmt.Port} (towards a {@code tcp} service: the local port the
 * caller's app connects to). {@code cluster} holds the call's cluster settings (issue 14), which
 * replace the callee's of the same kind in the caller's sidecar. {@code span} covers the header up
 * to the callee.
 */
public record CallDecl(
    Name caller, Name callee, List<RouteStmt> body, List<ClusterStmt> cluster, Span span)
    implements Decl {
  public CallDecl {
    body = List.copyOf(body);
    cluster = List.copyOf(cluster);
  }

  /** A call without cluster settings. */
  public CallDecl(Name caller, Name callee, List<RouteStmt> body, Span span) {
    this(caller, callee, body, List.of(), span);
  }
}
