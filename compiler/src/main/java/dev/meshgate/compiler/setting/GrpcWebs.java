package dev.meshgate.compiler.setting;

import dev.meshgate.compiler.ast.RouteStmt;
import java.util.Set;

/**
 * gRPC-Web (issue 13): {@code grpc-web} on a route that forwards with {@code to} to a gRPC service:
 * browsers' gRPC-Web requests become gRPC, and the answers gRPC-Web again. Envoy: {@code
 * translate/GrpcTranscoding} (the gRPC-Web filter, slot {@code HttpFilters.Slot.GRPC_WEB}, enabled
 * per route); goldens: {@code grpc-transcode/}.
 */
final class GrpcWebs implements Setting<RouteStmt.GrpcWeb> {
  @Override
  public Class<RouteStmt.GrpcWeb> node() {
    return RouteStmt.GrpcWeb.class;
  }

  @Override
  public Set<Attachment> attachments() {
    return Set.of(Attachment.ROUTE);
  }

  @Override
  public Role role() {
    return Role.FORWARDING;
  }

  @Override
  public void check(RouteStmt.GrpcWeb w, SettingChecks checks) {
    if (checks.first(RouteStmt.GrpcJson.class).isEmpty()) { // else reported once, for grpc-json
      GrpcJsonTranscoders.checkBackend(w, checks);
    }
  }

  @Override
  public void lower(RouteStmt.GrpcWeb w, RouteParts parts) {
    parts.grpcWeb();
  }
}
