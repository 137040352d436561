package dev.meshgate.compiler.ir;

import java.util.List;

/** The whole compiled policy: every service and every gateway, each list sorted by name. */
public record PolicyIr(List<ServiceIr> services, List<GatewayIr> gateways) {
  public PolicyIr {
    services = List.copyOf(services);
    gateways = List.copyOf(gateways);
  }
}
