package dev.meshgate.compiler.lower;

import dev.meshgate.compiler.ast.DurationLit;
import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ir.RateLimitServiceIr;
import java.util.Optional;

/**
 * global rate limits (issue 13): a gateway's {@code rate-limit service "HOST:PORT" …} (the first
 * counts; the checker reported repeats and bad addresses). The gateway's name is the service's
 * domain, so gateways sharing one service keep apart budgets.
 */
final class GlobalRateLimitLowering {
  private GlobalRateLimitLowering() {}

  static Optional<RateLimitServiceIr> service(GatewayDecl gateway) {
    return gateway.body().stream()
        .filter(GatewayStmt.RateLimitService.class::isInstance)
        .map(GatewayStmt.RateLimitService.class::cast)
        .findFirst()
        .map(
            s -> {
              String address = s.address().value();
              int colon = address.lastIndexOf(':');
              return new RateLimitServiceIr(
                  address.substring(0, colon),
                  Integer.parseInt(address.substring(colon + 1)),
                  s.timeout()
                      .flatMap(DurationLit::value)
                      .orElse(RateLimitServiceIr.DEFAULT_TIMEOUT),
                  s.failure().orElse(GatewayStmt.RateLimitService.Failure.OPEN)
                      == GatewayStmt.RateLimitService.Failure.CLOSED,
                  gateway.name().text());
            });
  }
}
