package dev.meshgate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * global rate limits (issue 13): a real Redis ({@code redis-server}) and a real Envoy rate-limit
 * service ({@code ratelimit}, from {@code scripts/install-redis.sh} and {@code
 * scripts/install-ratelimit.sh}) on free loopback ports. The service reads its configuration from
 * {@link #configDir()} (what {@code meshgate serve --ratelimit-config} writes) and reloads it when
 * a file there changes ({@code RUNTIME_WATCH_ROOT=false}). A missing binary skips the test locally
 * and fails it under {@code CI=true}.
 */
final class RateLimitService implements AutoCloseable {
  private static final String HOW =
      "run scripts/install-test-tools.sh (or scripts/install-redis.sh and"
          + " scripts/install-ratelimit.sh)";

  private final ChildProcess redis;
  private final ChildProcess service;
  private final int grpcPort;
  private final int debugPort;
  private final Path configDir;

  private RateLimitService(
      ChildProcess redis, ChildProcess service, int grpcPort, int debugPort, Path configDir) {
    this.redis = redis;
    this.service = service;
    this.grpcPort = grpcPort;
    this.debugPort = debugPort;
    this.configDir = configDir;
  }

  /** Redis, then the service pointed at it, both answering, under {@code workDir}. */
  static RateLimitService start(Path workDir) {
    Path redisBin = Tools.required("redis-server", HOW);
    Path ratelimitBin = Tools.required("ratelimit", HOW);
    int redisPort = FreePorts.next();
    ChildProcess redis =
        ChildProcess.start(
            "redis",
            List.of(
                redisBin.toString(),
                "--port",
                Integer.toString(redisPort),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                workDir.toString()),
            workDir.resolve("redis.log"),
            Duration.ofSeconds(5));
    try {
      Wait.until(
          Duration.ofSeconds(30),
          "redis to accept connections on " + redisPort,
          () -> {
            redis.requireAlive("while starting");
            return accepts(redisPort) ? Optional.of(true) : Optional.empty();
          });
      // RUNTIME_ROOT/RUNTIME_SUBDIRECTORY/RUNTIME_APPDIRECTORY is the directory of config files.
      Path root = workDir.resolve("ratelimit-runtime");
      Path configDir = root.resolve("current").resolve("config");
      Files.createDirectories(configDir);
      int grpcPort = FreePorts.next();
      int httpPort = FreePorts.next();
      int debugPort = FreePorts.next();
      Map<String, String> env =
          Map.ofEntries(
              Map.entry("HOST", "127.0.0.1"),
              Map.entry("PORT", Integer.toString(httpPort)),
              Map.entry("GRPC_HOST", "127.0.0.1"),
              Map.entry("GRPC_PORT", Integer.toString(grpcPort)),
              Map.entry("DEBUG_HOST", "127.0.0.1"),
              Map.entry("DEBUG_PORT", Integer.toString(debugPort)),
              Map.entry("USE_STATSD", "false"),
              Map.entry("LOG_LEVEL", "debug"),
              Map.entry("REDIS_SOCKET_TYPE", "tcp"),
              Map.entry("REDIS_URL", "127.0.0.1:" + redisPort),
              Map.entry("RUNTIME_ROOT", root.toString()),
              Map.entry("RUNTIME_SUBDIRECTORY", "current"),
              Map.entry("RUNTIME_APPDIRECTORY", "config"),
              Map.entry("RUNTIME_WATCH_ROOT", "false"),
              Map.entry("RUNTIME_IGNOREDOTFILES", "true"));
      ChildProcess service =
          ChildProcess.start(
              "ratelimit",
              List.of(ratelimitBin.toString()),
              env,
              workDir.resolve("ratelimit.log"),
              Duration.ofSeconds(5));
      RateLimitService started =
          new RateLimitService(redis, service, grpcPort, debugPort, configDir);
      try {
        Wait.until(
            Duration.ofSeconds(30),
            "the rate-limit service to answer on " + httpPort,
            () -> {
              service.requireAlive("while starting");
              return accepts(grpcPort)
                      && Http.get("http://127.0.0.1:" + httpPort + "/healthcheck").statusCode()
                          == 200
                  ? Optional.of(true)
                  : Optional.empty();
            });
      } catch (RuntimeException | AssertionError e) {
        System.err.println("ratelimit log:\n" + service.tail(100));
        started.close();
        throw e;
      }
      return started;
    } catch (IOException e) {
      redis.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException | AssertionError e) {
      redis.close();
      throw e;
    }
  }

  /** The service's gRPC address, for {@code rate-limit service "…"}. */
  String grpcAddress() {
    return "127.0.0.1:" + grpcPort;
  }

  /** Where the service reads its configuration files. */
  Path configDir() {
    return configDir;
  }

  /** The configuration the service loaded, as its debug endpoint {@code /rlconfig} prints it. */
  String loadedConfig() {
    return Http.get("http://127.0.0.1:" + debugPort + "/rlconfig").body();
  }

  String logTail() {
    return service.tail(60);
  }

  /** Stops the service (a test of what Envoy does when it cannot answer); Redis stays. */
  void stopService() {
    service.close();
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    try {
      service.close();
    } finally {
      redis.close();
    }
  }
}
