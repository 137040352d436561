package dev.meshgate.compiler.setting;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.DurationLit;
import dev.meshgate.compiler.ast.NumberLit;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import java.util.Optional;

/**
 * What the checker offers a setting's checks: where the setting sits, its neighbours, the shared
 * value checks and the diagnostics sink. Implemented by the checker, so settings never depend on
 * it.
 */
public interface SettingChecks {
  /** The place being checked: a route or a call. */
  Attachment where();

  /** The route, when {@link #where} is {@link Attachment#ROUTE}. */
  Optional<RouteDecl> route();

  /**
   * Whether the request is forwarded upstream as HTTP: a route whose action is {@code to}, or a
   * call towards an HTTP service.
   */
  boolean forwards();

  /** The first statement of a kind in the same body (the one that counts when repeated). */
  <T extends RouteStmt> Optional<T> first(Class<T> kind);

  /** Every statement of a kind in the same body, in order. */
  <T extends RouteStmt> java.util.List<T> all(Class<T> kind);

  /** Reports (and returns false) when a target's service or subset does not exist. */
  boolean resolve(RouteStmt.Target target);

  /**
   * The endpoints written in the policy for a target's service ({@code source static}); empty for a
   * discovered service or an unknown one.
   */
  java.util.List<dev.meshgate.compiler.ast.ServiceStmt.Endpoint> staticEndpoints(
      RouteStmt.Target target);

  /**
   * The protocol a target's service declares ({@code http}, {@code http2}, {@code grpc}, {@code
   * tcp}), {@code http} when it writes none or is unknown (reported elsewhere).
   */
  String protocol(RouteStmt.Target target);

  void duration(DurationLit duration);

  void port(NumberLit port);

  void headerName(StringLit name);

  /** "line 3" or "other.mesh:3": where an earlier construct is, for a message. */
  String at(Span span);

  void error(String code, Span span, String message);

  void warning(String code, Span span, String message);
}
