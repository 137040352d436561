package dev.meshgate.compiler.setting;

import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ir.CorsIr;
import dev.meshgate.compiler.ir.HeaderMutationIr;
import dev.meshgate.compiler.ir.HostRewriteIr;
import dev.meshgate.compiler.ir.RouteActionIr;
import dev.meshgate.compiler.ir.RouteBoundaryIr;
import dev.meshgate.compiler.ir.RouteSecurityIr;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the settings of one route or call lower to, gathered before the IR records are built. A
 * value set twice keeps the first (the checker reported the repeat), as everywhere else.
 */
public final class RouteParts {
  private List<RouteStmt.Target> targets = List.of();
  private Optional<RouteActionIr> action = Optional.empty();
  private Optional<Duration> timeout = Optional.empty();
  private Optional<RouteActionIr.RetryIr> retry = Optional.empty();
  private Optional<RouteActionIr.PathRewriteIr> rewrite = Optional.empty();
  private Optional<Integer> port = Optional.empty();
  private Optional<Duration> backendTimeout = Optional.empty();
  private Optional<RouteActionIr.DelayIr> faultDelay = Optional.empty();
  private Optional<RouteActionIr.AbortIr> faultAbort = Optional.empty();
  private Optional<String> faultHeader = Optional.empty();
  private Optional<HostRewriteIr> hostRewrite = Optional.empty();
  private final List<HeaderMutationIr> headerMutations = new ArrayList<>();
  private Optional<CorsIr> cors = Optional.empty();
  private final List<dev.meshgate.compiler.ir.HashPolicyIr> hashPolicies = new ArrayList<>();

  /** {@code hash-by}: tried in the order written. */
  public void hashPolicy(dev.meshgate.compiler.ir.HashPolicyIr policy) {
    hashPolicies.add(policy);
  }

  public List<dev.meshgate.compiler.ir.HashPolicyIr> hashPolicies() {
    return List.copyOf(hashPolicies);
  }

  public void cors(CorsIr cors) {
    this.cors = this.cors.or(() -> Optional.of(cors));
  }

  /**
   * The route these parts make, with its name, origin ({@code file:line:col}), match and action.
   */
  public dev.meshgate.compiler.ir.RouteIr route(
      String name,
      String origin,
      dev.meshgate.compiler.ir.RouteMatchIr match,
      RouteActionIr action) {
    return new dev.meshgate.compiler.ir.RouteIr(
        name,
        origin,
        match,
        action,
        headerMutations(),
        new RouteSecurityIr(
            cors(), jwt(), extAuthz.flatMap(p -> p), apiKey(), oidc.flatMap(o -> o), basicAuth),
        new RouteBoundaryIr(
            rateLimit,
            compression.flatMap(c -> c),
            maxRequestBytes.flatMap(b -> b),
            // A route that answers itself (respond, redirect) keeps its own answer.
            action instanceof RouteActionIr.Forward ? errorResponses() : List.of(),
            new dev.meshgate.compiler.ir.GrpcIr(grpcJson, grpcWeb),
            traceSample));
  }

  // gRPC at the gateway (issue 13): written on the route itself only.
  private Optional<dev.meshgate.compiler.ir.GrpcIr.JsonIr> grpcJson = Optional.empty();
  private boolean grpcWeb;

  public void grpcJson(dev.meshgate.compiler.ir.GrpcIr.JsonIr json) {
    grpcJson = grpcJson.or(() -> Optional.of(json));
  }

  public void grpcWeb() {
    grpcWeb = true;
  }

  // custom responses (issue 13): this place's own, then (unless `off`) the less specific places'.
  private final List<dev.meshgate.compiler.ir.ErrorResponseIr> errorResponses = new ArrayList<>();
  private boolean errorResponsesOff;

  /**
   * {@code error-response}: one status. Within one place a code goes before the classes, so {@code
   * 5xx} and {@code 503} written together answer a 503 with the 503's body; a status written twice
   * keeps the first (the checker reported the repeat).
   */
  public void errorResponse(dev.meshgate.compiler.ir.ErrorResponseIr response) {
    if (errorResponses.stream().anyMatch(r -> r.status().equals(response.status()))) {
      return;
    }
    int at = errorResponses.size();
    if (!response.statusClass()) {
      for (int i = 0; i < errorResponses.size(); i++) {
        if (errorResponses.get(i).statusClass()) {
          at = i;
          break;
        }
      }
    }
    errorResponses.add(at, response);
  }

  /** {@code error-response off}: none inherited from less specific places. */
  public void errorResponsesOff() {
    errorResponsesOff = true;
  }

  /** The error responses in the order they are tried: the first that covers a status wins. */
  public List<dev.meshgate.compiler.ir.ErrorResponseIr> errorResponses() {
    return List.copyOf(errorResponses);
  }

  /** Adds the less specific place's error responses this place leaves reachable. */
  private void inheritErrorResponses(RouteParts lessSpecific) {
    if (errorResponsesOff) {
      return;
    }
    List<dev.meshgate.compiler.ir.ErrorResponseIr> own = List.copyOf(errorResponses);
    for (var inherited : lessSpecific.errorResponses) {
      if (own.stream().noneMatch(inherited::shadowedBy)) {
        errorResponses.add(inherited);
      }
    }
    errorResponsesOff = lessSpecific.errorResponsesOff;
  }

  // external authorization (issue 12): the provider, or `ext-authz off` (an empty inner value).
  private Optional<Optional<String>> extAuthz = Optional.empty();

  /** {@code require ext-authz "p"}, or {@code ext-authz off} (empty). */
  public void extAuthz(Optional<String> provider) {
    this.extAuthz = this.extAuthz.or(() -> Optional.of(provider));
  }

  // api keys (issue 12): the most specific place's requirement, as a whole (`require none`: none).
  private Optional<dev.meshgate.compiler.ir.ApiKeyIr> apiKey = Optional.empty();

  /** {@code require api-key "p" [clients …]}, or {@code require none} (provider empty). */
  public void apiKey(dev.meshgate.compiler.ir.ApiKeyIr requirement) {
    if (basicAuth.isEmpty()) {
      apiKey = apiKey.or(() -> Optional.of(requirement));
    }
  }

  // basic auth (issue 12): with the api-key requirement, one client requirement (one header names
  // the client): the most specific place that requires either wins, as a whole.
  private Optional<dev.meshgate.compiler.ir.BasicAuthIr> basicAuth = Optional.empty();

  /** {@code require basic-auth "p" [users …]}. */
  public void basicAuth(dev.meshgate.compiler.ir.BasicAuthIr requirement) {
    if (apiKey.isEmpty()) {
      basicAuth = basicAuth.or(() -> Optional.of(requirement));
    }
  }

  public Optional<dev.meshgate.compiler.ir.BasicAuthIr> basicAuth() {
    return basicAuth;
  }

  public Optional<dev.meshgate.compiler.ir.ApiKeyIr> apiKey() {
    return apiKey.filter(a -> a.provider().isPresent());
  }

  // oidc login (issue 12): `require oidc "p"`, or `require none` (empty inner value).
  private Optional<Optional<String>> oidc = Optional.empty();

  /** {@code require oidc "p"}, or {@code require none} (empty); the first one set counts. */
  public void oidcRequirement(Optional<String> provider) {
    oidc = oidc.or(() -> Optional.of(provider));
  }

  // compression and request limits (issue 13): set (off is an empty inner value) or inherited.
  private Optional<Optional<dev.meshgate.compiler.ir.CompressionIr>> compression = Optional.empty();
  private Optional<Optional<Long>> maxRequestBytes = Optional.empty();

  /** {@code compress …}, or {@code compress off} (empty). */
  public void compression(Optional<dev.meshgate.compiler.ir.CompressionIr> compression) {
    this.compression = this.compression.or(() -> Optional.of(compression));
  }

  /** {@code max-request-body}, or {@code max-request-body none} (empty). */
  public void maxRequestBytes(Optional<Long> bytes) {
    this.maxRequestBytes = this.maxRequestBytes.or(() -> Optional.of(bytes));
  }

  // local rate limits (issue 13): the most specific place's limit, as a whole.
  private Optional<dev.meshgate.compiler.ir.RateLimitIr> rateLimit = Optional.empty();

  public void rateLimit(dev.meshgate.compiler.ir.RateLimitIr limit) {
    this.rateLimit = this.rateLimit.or(() -> Optional.of(limit));
  }

  public Optional<dev.meshgate.compiler.ir.RateLimitIr> rateLimit() {
    return rateLimit;
  }

  // tracing (issue 15): `trace sample N%`.
  private Optional<Integer> traceSample = Optional.empty();

  public void traceSample(int percent) {
    traceSample = traceSample.or(() -> Optional.of(percent));
  }

  public Optional<Integer> traceSample() {
    return traceSample;
  }

  public Optional<CorsIr> cors() {
    return cors;
  }

  // jwt (issue 12): the requirement (provider empty: `require none`) and the claim rules.
  private Optional<dev.meshgate.compiler.ir.JwtIr> jwtRequirement = Optional.empty();
  private final List<dev.meshgate.compiler.ir.JwtIr.ClaimRuleIr> jwtAllow = new ArrayList<>();
  private final List<dev.meshgate.compiler.ir.JwtIr.ClaimRuleIr> jwtDeny = new ArrayList<>();

  /** {@code require jwt "p" [optional]} or {@code require none} (provider empty). */
  public void jwtRequirement(Optional<String> provider, boolean optional) {
    if (jwtRequirement.isEmpty()) {
      jwtRequirement =
          Optional.of(new dev.meshgate.compiler.ir.JwtIr(provider, optional, List.of(), List.of()));
    }
  }

  /** {@code allow|deny jwt …}. */
  public void jwtRule(boolean allow, dev.meshgate.compiler.ir.JwtIr.ClaimRuleIr rule) {
    (allow ? jwtAllow : jwtDeny).add(rule);
  }

  /** The route's JWT requirement and claim rules; empty when it has neither. */
  public Optional<dev.meshgate.compiler.ir.JwtIr> jwt() {
    Optional<String> provider = jwtRequirement.flatMap(dev.meshgate.compiler.ir.JwtIr::provider);
    if (provider.isEmpty() && jwtAllow.isEmpty() && jwtDeny.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new dev.meshgate.compiler.ir.JwtIr(
            provider,
            jwtRequirement.map(dev.meshgate.compiler.ir.JwtIr::optional).orElse(false),
            jwtAllow,
            jwtDeny));
  }

  /**
   * jwt: the requirement is replaced as a whole; allow rules and deny rules each come from the most
   * specific place that writes some; a place that says {@code require none} inherits no rules.
   */
  private void inheritJwt(RouteParts lessSpecific) {
    boolean none = jwtRequirement.map(r -> r.provider().isEmpty()).orElse(false);
    lessSpecific.jwtRequirement.ifPresent(r -> jwtRequirement(r.provider(), r.optional()));
    if (!none && jwtAllow.isEmpty()) {
      jwtAllow.addAll(lessSpecific.jwtAllow);
    }
    if (!none && jwtDeny.isEmpty()) {
      jwtDeny.addAll(lessSpecific.jwtDeny);
    }
  }

  private final List<RouteActionIr.MirrorIr> mirrors = new ArrayList<>();
  private final List<RouteStmt.Target> mirrorTargets = new ArrayList<>();

  /** {@code to}: the targets, resolved to clusters by the lowering (it knows the services). */
  public void targets(List<RouteStmt.Target> targets) {
    this.targets = List.copyOf(targets);
  }

  /** An action answered by the proxy itself: redirect or respond. */
  public void action(RouteActionIr action) {
    this.action = this.action.or(() -> Optional.of(action));
  }

  public void timeout(Optional<Duration> timeout) {
    this.timeout = this.timeout.or(() -> timeout);
  }

  public void retry(RouteActionIr.RetryIr retry) {
    this.retry = this.retry.or(() -> Optional.of(retry));
  }

  public void rewrite(RouteActionIr.PathRewriteIr rewrite) {
    this.rewrite = this.rewrite.or(() -> Optional.of(rewrite));
  }

  public void hostRewrite(HostRewriteIr host) {
    this.hostRewrite = this.hostRewrite.or(() -> Optional.of(host));
  }

  public Optional<HostRewriteIr> hostRewrite() {
    return hostRewrite;
  }

  public void port(int port) {
    this.port = this.port.or(() -> Optional.of(port));
  }

  public void backendTimeout(Duration timeout) {
    this.backendTimeout = this.backendTimeout.or(() -> Optional.of(timeout));
  }

  /** {@code fault delay}; the checker made sure a delay and an abort name the same header. */
  public void faultDelay(RouteActionIr.DelayIr delay, Optional<String> header) {
    if (faultDelay.isEmpty()) {
      faultDelay = Optional.of(delay);
      faultHeader = faultHeader.or(() -> header);
    }
  }

  public void faultAbort(RouteActionIr.AbortIr abort, Optional<String> header) {
    if (faultAbort.isEmpty()) {
      faultAbort = Optional.of(abort);
      faultHeader = faultHeader.or(() -> header);
    }
  }

  public Optional<Duration> backendTimeout() {
    return backendTimeout;
  }

  /** The faults to inject, if any. */
  public Optional<RouteActionIr.FaultIr> fault() {
    return faultDelay.isEmpty() && faultAbort.isEmpty()
        ? Optional.empty()
        : Optional.of(new RouteActionIr.FaultIr(faultDelay, faultAbort, faultHeader));
  }

  public void headerMutation(HeaderMutationIr mutation) {
    headerMutations.add(mutation);
  }

  /**
   * Takes from the parts of a less specific place (the host, then the gateway; never an action,
   * which is the route's own) what this route does not set itself: each unset value, and the header
   * changes of every header this route does not change (a route's {@code set request-header "x-a"}
   * replaces its host's changes of "x-a"). A new setting with a value here adds it to this method.
   */
  public void inherit(RouteParts lessSpecific) {
    timeout(lessSpecific.timeout);
    lessSpecific.retry.ifPresent(this::retry);
    lessSpecific.rewrite.ifPresent(this::rewrite);
    lessSpecific.port.ifPresent(this::port);
    lessSpecific.rateLimit.ifPresent(this::rateLimit);
    inheritJwt(lessSpecific);
    if (apiKey.isEmpty() && basicAuth.isEmpty()) {
      lessSpecific.apiKey.ifPresent(this::apiKey);
      lessSpecific.basicAuth.ifPresent(this::basicAuth);
    }
    lessSpecific.oidc.ifPresent(this::oidcRequirement);
    lessSpecific.compression.ifPresent(this::compression);
    lessSpecific.maxRequestBytes.ifPresent(this::maxRequestBytes);
    lessSpecific.traceSample.ifPresent(this::traceSample);
    lessSpecific.extAuthz.ifPresent(this::extAuthz);
    inheritErrorResponses(lessSpecific);
    // A route's `hash-by` lines replace the host's or gateway's as a whole.
    if (hashPolicies.isEmpty()) {
      hashPolicies.addAll(lessSpecific.hashPolicies);
    }
    java.util.Set<String> changed = new java.util.HashSet<>();
    headerMutations.forEach(m -> changed.add(headerKey(m)));
    lessSpecific.headerMutations.stream()
        .filter(m -> !changed.contains(headerKey(m)))
        .forEach(headerMutations::add);
  }

  private static String headerKey(HeaderMutationIr m) {
    return m.direction() + " " + m.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** {@code mirror}: the target (the lowering makes its cluster) and what Envoy gets. */
  public void mirror(RouteStmt.Target target, RouteActionIr.MirrorIr mirror) {
    mirrorTargets.add(target);
    mirrors.add(mirror);
  }

  public List<RouteActionIr.MirrorIr> mirrors() {
    return List.copyOf(mirrors);
  }

  public List<RouteStmt.Target> mirrorTargets() {
    return List.copyOf(mirrorTargets);
  }

  public List<RouteStmt.Target> targets() {
    return targets;
  }

  public Optional<RouteActionIr> action() {
    return action;
  }

  public Optional<Duration> timeout() {
    return timeout;
  }

  public Optional<RouteActionIr.RetryIr> retry() {
    return retry;
  }

  public Optional<RouteActionIr.PathRewriteIr> rewrite() {
    return rewrite;
  }

  public Optional<Integer> port() {
    return port;
  }

  public List<HeaderMutationIr> headerMutations() {
    return List.copyOf(headerMutations);
  }
}
