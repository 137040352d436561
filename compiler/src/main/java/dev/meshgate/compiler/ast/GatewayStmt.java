package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;
import java.util.List;
import java.util.Optional;

/** A statement inside a gateway block. */
public sealed interface GatewayStmt extends Node {

  /** {@code listen [ADDRESS]:PORT}. */
  record Listen(Optional<Address> address, NumberLit port, Span span) implements GatewayStmt {}

  /**
   * {@code host "NAME" { route … }}; {@code settings} are the route statements written on the host
   * itself, the defaults for its routes.
   */
  record Host(StringLit host, List<RouteDecl> routes, Span span, List<RouteStmt> settings)
      implements GatewayStmt {
    public Host {
      routes = List.copyOf(routes);
      settings = List.copyOf(settings);
    }

    public Host(StringLit host, List<RouteDecl> routes, Span span) {
      this(host, routes, span, List.of());
    }
  }

  /** A route statement written on the gateway itself: the default for every route of its hosts. */
  record RouteSetting(RouteStmt stmt) implements GatewayStmt {
    @Override
    public Span span() {
      return stmt.span();
    }
  }

  /** An IPv4 address as written. */
  record Address(String text, Span span) implements Node {}
}
