package dev.meshgate.compiler.setting;

import static dev.meshgate.compiler.setting.SettingCodes.*;

import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.compiler.ir.GrpcIr;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * gRPC transcoding (issue 13): {@code grpc-json descriptor "protos/bookstore.pb" services
 * "bookstore.Bookstore" [option …]} on a route that forwards with {@code to} to a gRPC service.
 * Envoy: {@code translate/GrpcTranscoding} (the transcoder filter per descriptor setting, slot
 * {@code HttpFilters.Slot.GRPC_JSON}, enabled per route); not simulated (routing is decided on the
 * request as the client sent it, which is what the simulator sees); goldens: {@code
 * grpc-transcode/}.
 */
final class GrpcJsonTranscoders implements Setting<RouteStmt.GrpcJson> {
  @Override
  public Class<RouteStmt.GrpcJson> node() {
    return RouteStmt.GrpcJson.class;
  }

  /**
   * The route only: which requests the transcoder sees is the route's match, and the backend it
   * must be able to reach is the route's {@code to}.
   */
  @Override
  public Set<Attachment> attachments() {
    return Set.of(Attachment.ROUTE);
  }

  @Override
  public Role role() {
    return Role.FORWARDING;
  }

  @Override
  public void check(RouteStmt.GrpcJson g, SettingChecks checks) {
    for (Name option : g.options()) {
      if (GrpcIr.Option.of(option.text()).isEmpty()) {
        List<String> words =
            Arrays.stream(GrpcIr.Option.values()).map(GrpcIr.Option::word).toList();
        checks.error(
            GRPC_UNKNOWN_OPTION,
            option.span(),
            "unknown grpc-json option \""
                + option.text()
                + "\"; "
                + nearest(option.text(), words).map(n -> "did you mean " + n + "? ").orElse("")
                + "the options are "
                + String.join(", ", words));
      }
    }
    GrpcDescriptors.Read read = GrpcDescriptors.read(g.descriptor());
    switch (read) {
      case GrpcDescriptors.Read.Failed f ->
          checks.error(f.code(), g.descriptor().span(), f.message());
      case GrpcDescriptors.Read.Ok ok -> {
        for (StringLit service : g.services()) {
          if (!ok.services().contains(service.value())) {
            checks.error(
                GRPC_UNKNOWN_SERVICE,
                service.span(),
                "descriptor set \""
                    + g.descriptor().value()
                    + "\" has no service \""
                    + service.value()
                    + "\"; "
                    + nearest(service.value(), ok.services())
                        .map(n -> "did you mean \"" + n + "\"? ")
                        .orElse("")
                    + (ok.services().isEmpty()
                        ? "it declares no service"
                        : "it declares "
                            + ok.services().stream()
                                .limit(8)
                                .map(s -> "\"" + s + "\"")
                                .collect(Collectors.joining(", ")))
                    + " (write the package too: \"package.Service\")");
          }
        }
      }
    }
    Optional<RouteStmt> rewrite =
        checks
            .first(RouteStmt.Rewrite.class)
            .<RouteStmt>map(r -> r)
            .or(() -> checks.first(RouteStmt.PathRewrite.class));
    rewrite.ifPresent(r ->
        checks.error(
            GRPC_JSON_WITH_REWRITE,
            r.span(),
            "`"
                + r.keyword()
                + "` cannot sit beside `grpc-json`: the transcoder sets the path to the gRPC method"
                + " (/package.Service/Method), which a rewrite would break; match the REST paths"
                + " as the descriptor's annotations write them and drop the rewrite"));
    checkBackend(g, checks);
  }

  /**
   * The transcoder and the gRPC-Web filter both send gRPC upstream, which needs HTTP/2: every
   * service the route sends to must say {@code protocol grpc} (or {@code http2}).
   */
  static void checkBackend(RouteStmt stmt, SettingChecks checks) {
    for (RouteStmt.To to : checks.first(RouteStmt.To.class).stream().toList()) {
      for (RouteStmt.Target t : to.targets()) {
        String protocol = checks.protocol(t);
        if (!protocol.equals("grpc") && !protocol.equals("http2")) {
          checks.error(
              GRPC_BACKEND_NOT_HTTP2,
              t.service().span(),
              "`"
                  + stmt.keyword()
                  + "` sends gRPC upstream, which needs HTTP/2, but service \""
                  + t.service().text()
                  + "\" speaks `protocol "
                  + protocol
                  + "`; declare `protocol grpc` in service \""
                  + t.service().text()
                  + "\"");
        }
      }
    }
  }

  static Optional<String> nearest(String written, List<String> known) {
    LevenshteinDistance distance = LevenshteinDistance.getDefaultInstance();
    return known.stream()
        .min(
            Comparator.comparingInt((String k) -> distance.apply(k, written)).thenComparing(k -> k))
        .filter(k -> distance.apply(k, written) <= Math.max(3, written.length() / 3));
  }

  @Override
  public void lower(RouteStmt.GrpcJson g, RouteParts parts) {
    if (!(GrpcDescriptors.read(g.descriptor()) instanceof GrpcDescriptors.Read.Ok ok)) {
      throw new IllegalStateException("unchecked descriptor set " + g.descriptor().value());
    }
    parts.grpcJson(
        new GrpcIr.JsonIr(
            g.descriptor().value(),
            ok.bytes(),
            g.services().stream().map(StringLit::value).distinct().toList(),
            g.options().stream()
                .flatMap(o -> GrpcIr.Option.of(o.text()).stream())
                .distinct()
                .sorted()
                .toList()));
  }
}
