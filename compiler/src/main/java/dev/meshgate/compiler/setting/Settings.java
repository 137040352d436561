package dev.meshgate.compiler.setting;

import dev.meshgate.compiler.ast.RouteStmt;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every setting unit, and the one way the stages reach them. */
public final class Settings {
  private Settings() {}

  /** The units, one per statement kind; a new setting is added here. */
  public static final List<Setting<?>> ALL =
      List.of(
          new ForwardActions(),
          new Redirects(),
          new DirectResponses(),
          new Timeouts(),
          new Retries(),
          new Rewrites(),
          new HostRewrites(),
          new HostRewritesToEndpoint(),
          new HeaderMutations(),
          new CallPorts(),
          new CorsSettings(),
          new JwtRequirements(), // jwt (issue 12)
          new OidcRequirements(), // oidc login (issue 12)
          new JwtRules(),
          new ApiKeyRequirements(), // api keys (issue 12)
          new BasicAuthRequirements(), // basic auth (issue 12)

          // resilience (issues 11, 14)
          new BackendTimeouts(),
          new Faults(),
          new Mirrors(),

          // load balancing (issue 14)
          new HashPolicies(),
          new RouteClusterSettings(), // refused with MG382
          // routing: redirect and rewrite parts (issue 11)
          new UrlRedirects(),
          new PathRewrites(),
          // local rate limits (issue 13)
          new RateLimits(),
          // compression and request limits (issue 13)
          new Compressions(),
          new GrpcJsonTranscoders(), // gRPC transcoding (issue 13)
          new GrpcWebs(),
          new RequestBodyLimits(),
          new ErrorResponses(), // custom responses (issue 13)

          // tracing (issue 15)
          new TraceSamples(),
          // external authorization (issue 12)
          new ExtAuthzRequirements());

  private static final Map<Class<?>, Setting<?>> BY_NODE =
      ALL.stream().collect(Collectors.toUnmodifiableMap(Setting::node, Function.identity()));

  /** The unit of a statement. */
  public static Setting<?> of(RouteStmt stmt) {
    Setting<?> unit = BY_NODE.get(stmt.getClass());
    if (unit == null) {
      throw new IllegalStateException("no setting unit for " + stmt.getClass().getSimpleName());
    }
    return unit;
  }

  /**
   * The methods of {@code methods} a {@code retry} may not repeat safely (POST, PATCH) when it does
   * not say {@code idempotent}.
   */
  public static List<String> notIdempotent(List<dev.meshgate.compiler.ast.Name> methods) {
    return Retries.notIdempotent(methods);
  }

  /** A retry's conditions under which the backend may already have acted. */
  public static List<String> unsafeRetryConditions(RouteStmt.Retry retry) {
    return Retries.unsafeConditions(retry);
  }

  /** Runs the unit's checks on a statement. */
  public static void check(RouteStmt stmt, SettingChecks checks) {
    checkWith(of(stmt), stmt, checks);
  }

  /** Lowers a statement with its unit. */
  public static void lower(RouteStmt stmt, RouteParts parts) {
    lowerWith(of(stmt), stmt, parts);
  }

  private static <S extends RouteStmt> void checkWith(
      Setting<S> unit, RouteStmt stmt, SettingChecks checks) {
    unit.check(unit.node().cast(stmt), checks);
  }

  private static <S extends RouteStmt> void lowerWith(
      Setting<S> unit, RouteStmt stmt, RouteParts parts) {
    unit.lower(unit.node().cast(stmt), parts);
  }
}
