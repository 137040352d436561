package dev.meshgate.compiler.lower;

import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.ServiceDecl;
import dev.meshgate.compiler.ast.ServiceStmt;
import dev.meshgate.compiler.ast.Tracing;
import dev.meshgate.compiler.ir.SidecarIr;
import dev.meshgate.compiler.ir.TracingIr;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * tracing (issue 15): a gateway's or a service's {@code tracing { … }} block (the first counts;
 * within it the first of each field, the first tag of each name: the checker reported repeats). The
 * sample defaults to 100%.
 */
final class TracingLowering {
  static final int DEFAULT_SAMPLE = 100;

  private TracingLowering() {}

  static Optional<TracingIr> tracing(GatewayDecl gateway) {
    return gateway.body().stream()
        .filter(GatewayStmt.TracingSetting.class::isInstance)
        .map(s -> ((GatewayStmt.TracingSetting) s).tracing())
        .findFirst()
        .flatMap(t -> tracing(gateway.name().text(), t));
  }

  static Optional<TracingIr> tracing(ServiceDecl service) {
    return service.body().stream()
        .filter(ServiceStmt.TracingSetting.class::isInstance)
        .map(s -> ((ServiceStmt.TracingSetting) s).tracing())
        .findFirst()
        .flatMap(t -> tracing(service.name().text(), t));
  }

  private static Optional<TracingIr> tracing(String serviceName, Tracing t) {
    List<Tracing.Field.Collector> collectors = t.all(Tracing.Field.Collector.class);
    if (collectors.isEmpty()) {
      return Optional.empty(); // reported by the checker
    }
    String address = collectors.getFirst().address().value();
    int colon = address.lastIndexOf(':');
    String host = address.substring(0, colon);
    int port = Integer.parseInt(address.substring(colon + 1));
    int sample =
        t.all(Tracing.Field.Sample.class).stream()
            .findFirst()
            .map(s -> (int) s.percent().value())
            .orElse(DEFAULT_SAMPLE);
    Map<String, TracingIr.TagIr> tags = new LinkedHashMap<>();
    for (Tracing.Field.Tag tag : t.all(Tracing.Field.Tag.class)) {
      tags.putIfAbsent(
          tag.name().value(),
          new TracingIr.TagIr(tag.name().value(), tag.header().value().toLowerCase(Locale.ROOT)));
    }
    List<TracingIr.TagIr> sorted =
        tags.values().stream().sorted(Comparator.comparing(TracingIr.TagIr::tag)).toList();
    return Optional.of(new TracingIr(serviceName, host, port, sample, sorted));
  }

  /** The sidecar, tracing as its service says. */
  static SidecarIr withTracing(SidecarIr s, Optional<TracingIr> tracing) {
    return new SidecarIr(
        s.service(),
        s.identity(),
        s.protocol(),
        s.inbound(),
        s.app(),
        s.outbound(),
        s.mtls(),
        s.authz(),
        s.outboundHosts(),
        s.clusters(),
        s.tcpOutbound(),
        s.zone(),
        s.accessLog(),
        tracing);
  }
}
