package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.CallDecl;
import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.ServiceStmt;
import dev.meshgate.compiler.check.CheckContext.Sidecar;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Listeners and ports: gateway listeners that collide across gateways, the addresses of a sidecar,
 * two sidecars on one address, and the local ports of tcp calls.
 */
final class PortChecks {
  private final CheckContext cx;
  private final Values values;

  PortChecks(CheckContext cx) {
    this.cx = cx;
    this.values = new Values(cx);
  }

  // ------------------------------------------------------------------ whole-policy analysis

  /** A gateway listener, with the address `:PORT` stands for. */
  record Bound(String gateway, String address, GatewayStmt.Listen listen) {
    static Bound of(String gateway, GatewayStmt.Listen l) {
      return new Bound(gateway, l.address().map(GatewayStmt.Address::text).orElse("0.0.0.0"), l);
    }

    boolean clashes(Bound other) {
      return !gateway.equals(other.gateway)
          && listen.port().value() == other.listen.port().value()
          && (address.equals(other.address)
              || address.equals("0.0.0.0")
              || other.address.equals("0.0.0.0"));
    }

    String written() {
      return "listen "
          + listen.address().map(GatewayStmt.Address::text).orElse("")
          + ":"
          + listen.port().text();
    }
  }

  /**
   * Two cx.gateways binding the same port, on the same address or with one on every address: one
   * machine cannot run both. (Within one gateway MG207 reports it.) Sidecars are not compared with
   * cx.gateways: they run next to their application, not next to the gateway.
   */
  void listenerCollisions() {
    List<Bound> bound = new ArrayList<>();
    for (GatewayDecl g : cx.gateways.values()) {
      for (GatewayStmt stmt : g.body()) {
        if (!(stmt instanceof GatewayStmt.Listen l)
            || l.port().value() < 1
            || l.port().value() > 65535) {
          continue;
        }
        Bound b = Bound.of(g.name().text(), l);
        Optional<Bound> clash = bound.stream().filter(b::clashes).findFirst();
        if (clash.isPresent()) {
          cx.current = cx.fileOf(l.span());
          cx.error(
              LISTENER_COLLISION,
              l.span(),
              "`"
                  + b.written()
                  + "` of gateway \""
                  + b.gateway()
                  + "\" collides with `"
                  + clash.get().written()
                  + "` of gateway \""
                  + clash.get().gateway()
                  + "\" at "
                  + cx.at(clash.get().listen().span())
                  + ": both cannot bind it on one machine; give each gateway its own port (if they run on different"
                  + " machines, say so with `# meshgate:ignore MG702 REASON`)");
        }
        bound.add(b);
      }
    }
  }

  Sidecar sidecar(String service, ServiceStmt.Sidecar block) {
    Map<ServiceStmt.SidecarStmt.Kind, ServiceStmt.SidecarStmt> seen =
        new java.util.EnumMap<>(ServiceStmt.SidecarStmt.Kind.class);
    for (ServiceStmt.SidecarStmt stmt : block.body()) {
      values.port(stmt.port());
      stmt.address().ifPresent(a -> values.address(a.text(), a.span()));
      ServiceStmt.SidecarStmt before = seen.putIfAbsent(stmt.kind(), stmt);
      if (before != null) {
        cx.error(
            DUPLICATE_SIDECAR_SETTING,
            stmt.span(),
            "the sidecar of service \""
                + service
                + "\" has more than one `"
                + stmt.kind().keyword()
                + "`; the first is at "
                + cx.at(before.span()));
      }
    }
    Sidecar sidecar =
        new Sidecar(
            block,
            Optional.ofNullable(seen.get(ServiceStmt.SidecarStmt.Kind.INBOUND)),
            Optional.ofNullable(seen.get(ServiceStmt.SidecarStmt.Kind.APP)),
            Optional.ofNullable(seen.get(ServiceStmt.SidecarStmt.Kind.OUTBOUND)));
    if (cx.current.complete() && sidecar.inbound().isEmpty()) {
      cx.error(
          SIDECAR_INCOMPLETE,
          block.span(),
          "the sidecar of service \""
              + service
              + "\" has no `inbound`, the port callers reach it on; add one like `inbound :15101`");
    }
    if (cx.current.complete() && sidecar.app().isEmpty()) {
      cx.error(
          SIDECAR_INCOMPLETE,
          block.span(),
          "the sidecar of service \""
              + service
              + "\" has no `app`, the address of the application it serves; add one like `app 127.0.0.1:9101`");
    }
    // One sidecar runs on one host: its three addresses must not share a port.
    List<SocketUse> uses = new ArrayList<>();
    sidecar.inbound().ifPresent(i -> uses.add(SocketUse.of(i, "0.0.0.0")));
    sidecar.app().ifPresent(a -> uses.add(SocketUse.of(a, PolicyChecker.DEFAULT_OUTBOUND_ADDRESS)));
    uses.add(
        sidecar
            .outbound()
            .map(o -> SocketUse.of(o, PolicyChecker.DEFAULT_OUTBOUND_ADDRESS))
            .orElse(
                new SocketUse(
                    "outbound",
                    PolicyChecker.DEFAULT_OUTBOUND_ADDRESS,
                    PolicyChecker.DEFAULT_OUTBOUND_PORT,
                    " (the default)",
                    block.span())));
    for (int i = 0; i < uses.size(); i++) {
      for (int j = 0; j < i; j++) {
        SocketUse a = uses.get(j);
        SocketUse b = uses.get(i);
        if (a.clashes(b)) {
          SocketUse reported = b.note().isEmpty() ? b : a;
          SocketUse other = reported == b ? a : b;
          cx.error(
              SIDECAR_PORT_CLASH,
              reported.span(),
              "`"
                  + reported.keyword()
                  + " "
                  + reported.address()
                  + ":"
                  + reported.port()
                  + "`"
                  + reported.note()
                  + " uses the same port as `"
                  + other.keyword()
                  + " "
                  + other.address()
                  + ":"
                  + other.port()
                  + "`"
                  + other.note()
                  + " in the sidecar of service \""
                  + service
                  + "\"; give each its own port");
        }
      }
    }
    return sidecar;
  }

  /** An address a sidecar binds or connects to, for clash checks. */
  record SocketUse(String keyword, String address, long port, String note, Span span) {
    static SocketUse of(ServiceStmt.SidecarStmt stmt, String defaultAddress) {
      return new SocketUse(
          stmt.kind().keyword(),
          stmt.address().map(GatewayStmt.Address::text).orElse(defaultAddress),
          stmt.port().value(),
          "",
          stmt.span());
    }

    boolean clashes(SocketUse other) {
      return port == other.port
          && (address.equals(other.address)
              || address.equals("0.0.0.0")
              || other.address.equals("0.0.0.0"));
    }
  }

  /**
   * Two cx.sidecars whose inbound is written with the same specific address and port cannot both
   * exist: callers could not tell them apart. Wildcard and default addresses are not compared,
   * since cx.sidecars normally run on different hosts.
   */
  void sidecarClashesAcrossServices() {
    Map<String, Map.Entry<String, Sidecar>> byAddress = new HashMap<>();
    for (var entry : cx.sidecars.entrySet()) {
      Optional<ServiceStmt.SidecarStmt> inbound = entry.getValue().inbound();
      if (inbound.isEmpty()
          || inbound.get().address().isEmpty()
          || inbound.get().address().get().text().equals("0.0.0.0")) {
        continue;
      }
      String key = inbound.get().address().get().text() + ":" + inbound.get().port().value();
      Map.Entry<String, Sidecar> before = byAddress.putIfAbsent(key, entry);
      if (before != null) {
        cx.current = cx.fileOf(inbound.get().span());
        cx.error(
            SIDECAR_PORT_CLASH,
            inbound.get().span(),
            "`inbound "
                + key
                + "` of service \""
                + entry.getKey()
                + "\" is also the inbound of service \""
                + before.getKey()
                + "\" at "
                + cx.at(before.getValue().inbound().get().span())
                + "; each sidecar needs its own address");
      }
    }
  }

  /** The local ports of each sidecar's tcp calls so far, for clash checks. */
  private final Map<String, List<SocketUse>> tcpPorts = new HashMap<>();

  /**
   * A tcp call's port is bound by the caller's sidecar on its outbound address: it must not be the
   * port of the sidecar's inbound, app or outbound, nor another tcp call's.
   */
  void tcpPortClash(String caller, Sidecar sidecar, CallDecl call, RouteStmt.Port port) {
    String address =
        sidecar
            .outbound()
            .flatMap(ServiceStmt.SidecarStmt::address)
            .map(GatewayStmt.Address::text)
            .orElse(PolicyChecker.DEFAULT_OUTBOUND_ADDRESS);
    SocketUse use =
        new SocketUse(
            "port",
            address,
            port.port().value(),
            " (of `call " + caller + " -> " + call.callee().text() + "`)",
            port.span());
    List<SocketUse> others = new ArrayList<>();
    sidecar.inbound().ifPresent(i -> others.add(SocketUse.of(i, "0.0.0.0")));
    sidecar
        .app()
        .ifPresent(a -> others.add(SocketUse.of(a, PolicyChecker.DEFAULT_OUTBOUND_ADDRESS)));
    others.add(
        sidecar
            .outbound()
            .map(o -> SocketUse.of(o, PolicyChecker.DEFAULT_OUTBOUND_ADDRESS))
            .orElse(
                new SocketUse(
                    "outbound",
                    PolicyChecker.DEFAULT_OUTBOUND_ADDRESS,
                    PolicyChecker.DEFAULT_OUTBOUND_PORT,
                    " (the default)",
                    sidecar.block().span())));
    List<SocketUse> calls = tcpPorts.computeIfAbsent(caller, k -> new ArrayList<>());
    others.addAll(calls);
    for (SocketUse other : others) {
      if (use.clashes(other)) {
        cx.error(
            SIDECAR_PORT_CLASH,
            port.span(),
            "`port "
                + port.port().text()
                + "`"
                + use.note()
                + " is bound on "
                + address
                + ", and uses the same port as `"
                + other.keyword()
                + " "
                + other.address()
                + ":"
                + other.port()
                + "`"
                + other.note()
                + " in the sidecar of service \""
                + caller
                + "\"; give each its own port");
        return;
      }
    }
    calls.add(use);
  }
}
