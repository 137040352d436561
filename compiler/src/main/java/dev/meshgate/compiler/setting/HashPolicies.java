package dev.meshgate.compiler.setting;

import static dev.meshgate.compiler.setting.SettingCodes.*;

import dev.meshgate.compiler.ast.DurationLit;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.compiler.ir.HashPolicyIr;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code hash-by header "x-user"}, {@code hash-by cookie "sticky" [ttl 1h]}, {@code hash-by
 * source-ip}: the key a hashing load balancer ({@code load-balancer ring-hash} or {@code maglev} on
 * the target service) hashes, so one user keeps reaching one endpoint. Several may be written:
 * Envoy tries them in order and hashes the first that yields a value (a request without the header
 * falls through to the next). Envoy: {@code translate/HashPolicies} (the route action's {@code
 * hash_policy}); whether the target hashes at all is {@code check/LoadBalancingChecks}; not
 * simulated (which endpoint answers is not a routing outcome); goldens: {@code load-balancing/}.
 */
final class HashPolicies implements Setting<RouteStmt.HashBy> {
  /** RFC 6265 cookie-name: an RFC 7230 token. */
  private static final String TOKEN_CHARS = "!#$%&'*+-.^_`|~";

  @Override
  public Class<RouteStmt.HashBy> node() {
    return RouteStmt.HashBy.class;
  }

  @Override
  public Set<Attachment> attachments() {
    return Set.of(Attachment.GATEWAY, Attachment.HOST, Attachment.ROUTE, Attachment.CALL);
  }

  @Override
  public Role role() {
    // Several per body (tried in order); that a route needs `to` is checked below.
    return Role.REPEATABLE;
  }

  @Override
  public void check(RouteStmt.HashBy h, SettingChecks checks) {
    switch (h.kind()) {
      case HEADER -> h.name().ifPresent(checks::headerName);
      case COOKIE -> {
        h.name().ifPresent(n -> cookieName(n, checks));
        h.ttl().ifPresent(ttl -> ttl(ttl, checks));
      }
      case SOURCE_IP -> {}
    }
    if (checks.where() == Attachment.ROUTE && !checks.forwards()) {
      checks.error(
          HASH_WITHOUT_FORWARD,
          h.span(),
          "`hash-by` picks the endpoint of a request forwarded with `to`, but this route does not"
              + " forward; remove it");
    }
    for (RouteStmt.HashBy before : checks.all(RouteStmt.HashBy.class)) {
      if (before == h) {
        break;
      }
      if (key(before).equals(key(h))) {
        checks.error(
            DUPLICATE_HASH,
            h.span(),
            "`hash-by "
                + describe(h)
                + "` is written twice here (first at "
                + checks.at(before.span())
                + "); keep one");
        break;
      }
    }
  }

  private static void cookieName(StringLit name, SettingChecks checks) {
    String n = name.value();
    boolean token =
        !n.isEmpty()
            && n.chars()
                .allMatch(
                    c ->
                        c > 32
                            && c < 127
                            && (Character.isLetterOrDigit(c) || TOKEN_CHARS.indexOf(c) >= 0));
    if (!token) {
      checks.error(
          INVALID_COOKIE_NAME,
          name.span(),
          "cookie name "
              + name.raw()
              + " is not a valid cookie name (no spaces, controls or ( ) < > @ , ; : \\ \" / [ ] ?"
              + " = { }); use a word like \"sticky\"");
    }
  }

  private static void ttl(DurationLit ttl, SettingChecks checks) {
    Optional<Duration> value = ttl.value();
    if (value.isEmpty() || !value.get().isZero()) {
      checks.duration(ttl); // 0s is allowed: a session cookie
    }
    if (value.isPresent() && value.get().toMillis() % 1000 != 0) {
      checks.error(
          INVALID_COOKIE_TTL,
          ttl.span(),
          "a cookie lives whole seconds (its Max-Age), found "
              + ttl.text()
              + "; write seconds like 30s or 1h, or 0s for a session cookie");
    }
  }

  private static String key(RouteStmt.HashBy h) {
    return h.kind() + " " + h.name().map(n -> n.value().toLowerCase(Locale.ROOT)).orElse("");
  }

  private static String describe(RouteStmt.HashBy h) {
    return switch (h.kind()) {
      case HEADER -> "header " + h.name().map(StringLit::raw).orElse("");
      case COOKIE -> "cookie " + h.name().map(StringLit::raw).orElse("");
      case SOURCE_IP -> "source-ip";
    };
  }

  @Override
  public void lower(RouteStmt.HashBy h, RouteParts parts) {
    HashPolicyIr.Kind kind =
        switch (h.kind()) {
          case HEADER -> HashPolicyIr.Kind.HEADER;
          case COOKIE -> HashPolicyIr.Kind.COOKIE;
          case SOURCE_IP -> HashPolicyIr.Kind.SOURCE_IP;
        };
    Optional<String> name =
        h.name()
            .map(
                n ->
                    h.kind() == RouteStmt.HashBy.Kind.HEADER
                        ? n.value().toLowerCase(Locale.ROOT)
                        : n.value());
    HashPolicyIr ir = new HashPolicyIr(kind, name, h.ttl().flatMap(DurationLit::value));
    if (parts.hashPolicies().stream().noneMatch(p -> p.kind() == kind && p.name().equals(name))) {
      parts.hashPolicy(ir); // a repeat (reported): the first counts
    }
  }
}
