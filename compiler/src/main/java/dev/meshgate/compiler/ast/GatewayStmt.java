package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;
import java.util.List;
import java.util.Optional;

/** A statement inside a gateway block. */
public sealed interface GatewayStmt extends Node {

  /** {@code listen [ADDRESS]:PORT}. */
  record Listen(Optional<Address> address, NumberLit port, Span span) implements GatewayStmt {}

  /** {@code host "NAME" { route … }}. */
  record Host(StringLit host, List<RouteDecl> routes, Span span) implements GatewayStmt {
    public Host {
      routes = List.copyOf(routes);
    }
  }

  /** An IPv4 address as written. */
  record Address(String text, Span span) implements Node {}
}
