package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;
import java.util.List;
import java.util.Optional;

/** A statement inside a gateway block. */
public sealed interface GatewayStmt extends Node {

  /** {@code listen [ADDRESS]:PORT}. */
  record Listen(Optional<Address> address, NumberLit port, Span span) implements GatewayStmt {}

  /**
   * {@code host "NAME"[, "NAME"…] { route … }}: {@code host} is the first domain, {@code
   * moreDomains} the others (one virtual host answers them all).
   */
  record Host(StringLit host, List<RouteDecl> routes, Span span, List<StringLit> moreDomains)
      implements GatewayStmt {
    public Host {
      routes = List.copyOf(routes);
      moreDomains = List.copyOf(moreDomains);
    }

    public Host(StringLit host, List<RouteDecl> routes, Span span) {
      this(host, routes, span, List.of());
    }

    /** Every domain, first the one the virtual host is named after. */
    public List<StringLit> domains() {
      List<StringLit> all = new java.util.ArrayList<>(1 + moreDomains.size());
      all.add(host);
      all.addAll(moreDomains);
      return List.copyOf(all);
    }
  }

  /** An IPv4 address as written. */
  record Address(String text, Span span) implements Node {}
}
