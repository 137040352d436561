package dev.meshgate.cli.demo;

import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.PolicyIr;
import dev.meshgate.compiler.ir.RateLimitServiceIr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * global rate limits (issue 13) in the demo: their budget lives in Envoy's rate-limit service and
 * Redis, which the demo does not start (yet). Rather than leave a user wondering why a {@code
 * global} limit never answers 429, say so, and how to run the two by hand.
 */
final class DemoRateLimits {
  private DemoRateLimits() {}

  /** One note per gateway with a rate-limit service; none when no gateway has one. */
  static List<String> notes(PolicyIr ir, Optional<Path> projectRoot) {
    List<String> notes = new ArrayList<>();
    for (GatewayIr gateway : ir.gateways()) {
      if (gateway.rateLimitService().isEmpty()) {
        continue;
      }
      RateLimitServiceIr service = gateway.rateLimitService().get();
      String address = service.host() + ":" + service.port();
      notes.add(
          "meshgate: demo: gateway "
              + gateway.name()
              + "'s global rate limits ask the rate-limit service at "
              + address
              + ", which the demo does not start: until one answers there, "
              + (service.failClosed()
                  ? "those routes answer 500 (fail-closed)"
                  : "their requests pass unlimited (fail-open)")
              + ".");
      notes.add(
          "  To run it: "
              + tools(projectRoot)
              + "; then `redis-server --port 6379 --bind 127.0.0.1`, `ratelimit` with GRPC_PORT="
              + service.port()
              + " REDIS_SOCKET_TYPE=tcp REDIS_URL=127.0.0.1:6379 RUNTIME_ROOT=DIR"
              + " RUNTIME_SUBDIRECTORY=current RUNTIME_APPDIRECTORY=config, and serve with"
              + " --ratelimit-config DIR/current/config (docs/traffic-limits.md).");
    }
    return notes;
  }

  private static String tools(Optional<Path> projectRoot) {
    Optional<Path> bin = projectRoot.map(r -> r.resolve(".tools").resolve("bin"));
    boolean installed =
        bin.isPresent()
            && Files.isExecutable(bin.get().resolve("redis-server"))
            && Files.isExecutable(bin.get().resolve("ratelimit"));
    return installed
        ? "both are in " + bin.get()
        : "install them with scripts/install-redis.sh and scripts/install-ratelimit.sh"
            + " (into .tools/bin)";
  }
}
