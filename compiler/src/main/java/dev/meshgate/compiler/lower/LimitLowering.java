package dev.meshgate.compiler.lower;

import dev.meshgate.compiler.ast.DurationLit;
import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ir.ConnectionLimitsIr;
import java.time.Duration;
import java.util.Optional;

/**
 * request limits (issue 13): a gateway's {@code max-request-headers}, {@code idle-timeout} and
 * {@code stream-idle-timeout} (the first of each counts; the checker reported repeats).
 */
final class LimitLowering {
  private LimitLowering() {}

  static ConnectionLimitsIr limits(GatewayDecl gateway) {
    return new ConnectionLimitsIr(
        first(gateway, GatewayStmt.Limit.Kind.MAX_REQUEST_HEADERS)
            .flatMap(GatewayStmt.Limit::size)
            .flatMap(s -> s.bytes())
            .map(b -> (int) (b / 1024)),
        first(gateway, GatewayStmt.Limit.Kind.IDLE_TIMEOUT).flatMap(LimitLowering::timeout),
        first(gateway, GatewayStmt.Limit.Kind.STREAM_IDLE_TIMEOUT).flatMap(LimitLowering::timeout));
  }

  private static Optional<GatewayStmt.Limit> first(
      GatewayDecl gateway, GatewayStmt.Limit.Kind kind) {
    return gateway.body().stream()
        .filter(s -> s instanceof GatewayStmt.Limit l && l.kind() == kind)
        .map(GatewayStmt.Limit.class::cast)
        .findFirst();
  }

  /** {@code none} is zero: Envoy's way to say "no timeout". */
  private static Optional<Duration> timeout(GatewayStmt.Limit limit) {
    Optional<DurationLit> d = limit.duration();
    return d.isPresent() && d.get().text().equals("none")
        ? Optional.of(Duration.ZERO)
        : d.flatMap(DurationLit::value);
  }
}
