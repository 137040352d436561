package dev.meshgate.compiler.setting;

import dev.meshgate.compiler.ast.ClusterStmt;
import dev.meshgate.compiler.ir.HealthCheckIr;
import dev.meshgate.compiler.ir.Protocol;
import dev.meshgate.compiler.setting.ClusterFields.Spec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code health-check http "/healthz" { expect 200 interval 5s timeout 1s unhealthy 3 healthy 2 }},
 * {@code health-check tcp}, {@code health-check grpc ["service"]}: every caller's Envoy probes each
 * endpoint and sends traffic only to those that pass.
 */
final class HealthChecks implements ClusterSetting<ClusterStmt.HealthCheck> {
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
  static final long DEFAULT_UNHEALTHY = 3;
  static final long DEFAULT_HEALTHY = 2;
  static final int DEFAULT_EXPECT = 200;

  private static final List<Spec> COMMON =
      List.of(
          Spec.duration("interval"),
          Spec.duration("timeout"),
          Spec.count("unhealthy", 1),
          Spec.count("healthy", 1));
  private static final List<Spec> HTTP =
      Stream.concat(Stream.of(Spec.status("expect")), COMMON.stream()).toList();

  @Override
  public Class<ClusterStmt.HealthCheck> node() {
    return ClusterStmt.HealthCheck.class;
  }

  private static Optional<HealthCheckIr.Kind> kind(ClusterStmt.HealthCheck stmt) {
    return switch (stmt.kind().text()) {
      case "http" -> Optional.of(HealthCheckIr.Kind.HTTP);
      case "tcp" -> Optional.of(HealthCheckIr.Kind.TCP);
      case "grpc" -> Optional.of(HealthCheckIr.Kind.GRPC);
      default -> Optional.empty();
    };
  }

  @Override
  public void check(ClusterStmt.HealthCheck stmt, ClusterChecks checks) {
    Optional<HealthCheckIr.Kind> kind = kind(stmt);
    if (kind.isEmpty()) {
      checks.error(
          SettingCodes.UNKNOWN_HEALTH_CHECK,
          stmt.kind().span(),
          "unknown health check \""
              + stmt.kind().text()
              + "\"; use http \"/path\", tcp or grpc [\"service\"]");
      return;
    }
    ClusterFields.check(
        "health-check " + stmt.kind().text(),
        stmt.fields(),
        kind.get() == HealthCheckIr.Kind.HTTP ? HTTP : COMMON,
        checks);
    protocol(stmt, kind.get(), checks);
    switch (kind.get()) {
      case HTTP -> {
        if (stmt.target().isEmpty() || !stmt.target().get().value().startsWith("/")) {
          checks.error(
              SettingCodes.HEALTH_CHECK_TARGET,
              stmt.target().map(t -> t.span()).orElse(stmt.kind().span()),
              "an http health check needs the path to ask, starting with /, like"
                  + " `health-check http \"/healthz\"`");
        }
      }
      case TCP ->
          stmt.target()
              .ifPresent(
                  t ->
                      checks.error(
                          SettingCodes.HEALTH_CHECK_TARGET,
                          t.span(),
                          "a tcp health check only opens a connection and takes no path or name;"
                              + " remove "
                              + t.raw()));
      case GRPC -> {}
    }
    ClusterFields fields = ClusterFields.of(stmt.fields());
    Duration interval = fields.duration("interval", DEFAULT_INTERVAL);
    Duration timeout = fields.duration("timeout", DEFAULT_TIMEOUT);
    if (timeout.compareTo(interval) >= 0) {
      var at = fields.field("timeout").or(() -> fields.field("interval")).orElseThrow();
      checks.error(
          SettingCodes.HEALTH_CHECK_TIMEOUT,
          at.span(),
          "the health check's timeout "
              + text(timeout)
              + " is not shorter than its interval "
              + text(interval)
              + "; a check must end before the next one starts, so shorten the timeout");
    }
  }

  private static void protocol(
      ClusterStmt.HealthCheck stmt, HealthCheckIr.Kind kind, ClusterChecks checks) {
    String protocol = checks.protocol();
    boolean fits =
        switch (kind) {
          case TCP -> true;
          case HTTP -> !protocol.equals("tcp");
          case GRPC -> protocol.equals("grpc");
        };
    if (!fits) {
      checks.error(
          SettingCodes.HEALTH_CHECK_PROTOCOL,
          stmt.kind().span(),
          "service \""
              + checks.service()
              + "\" speaks "
              + protocol
              + (kind == HealthCheckIr.Kind.HTTP ? ", so an " : ", so a ")
              + stmt.kind().text()
              + " health check cannot ask it; use "
              + (protocol.equals("tcp")
                  ? "`health-check tcp`"
                  : "`health-check http \"/path\"` or `health-check tcp`"));
    }
  }

  private static String text(Duration d) {
    return dev.meshgate.compiler.ir.IrYaml.duration(d);
  }

  @Override
  public void lower(ClusterStmt.HealthCheck stmt, ClusterParts parts) {
    ClusterFields f = ClusterFields.of(stmt.fields());
    HealthCheckIr.Kind kind = kind(stmt).orElseThrow();
    parts.healthCheck =
        Optional.of(
            new HealthCheckIr(
                kind,
                stmt.target().map(t -> t.value()).orElse(""),
                (int) f.count("expect", DEFAULT_EXPECT),
                f.duration("interval", DEFAULT_INTERVAL),
                f.duration("timeout", DEFAULT_TIMEOUT),
                f.count("unhealthy", DEFAULT_UNHEALTHY),
                f.count("healthy", DEFAULT_HEALTHY),
                parts.protocol() == Protocol.HTTP2 || parts.protocol() == Protocol.GRPC));
  }
}
