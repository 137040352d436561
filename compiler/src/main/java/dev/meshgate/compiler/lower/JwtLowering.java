package dev.meshgate.compiler.lower;

import dev.meshgate.compiler.ast.DurationLit;
import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.GatewayStmt.JwtField;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.compiler.ir.JwtIr;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** jwt (issue 12): a gateway's {@code jwt-provider}s, sorted by name. */
final class JwtLowering {
  /** How long Envoy keeps a fetched JWKS when the policy does not say: 5 minutes. */
  static final Duration DEFAULT_CACHE = Duration.ofMinutes(5);

  private JwtLowering() {}

  static List<JwtIr.ProviderIr> providers(GatewayDecl gateway) {
    List<JwtIr.ProviderIr> providers = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (GatewayStmt stmt : gateway.body()) {
      if (stmt instanceof GatewayStmt.JwtProvider p && seen.add(p.name().value())) {
        providers.add(provider(p));
      }
    }
    providers.sort(Comparator.comparing(JwtIr.ProviderIr::name));
    return List.copyOf(providers);
  }

  /** The checker made sure there is an issuer and exactly one valid key source. */
  private static JwtIr.ProviderIr provider(GatewayStmt.JwtProvider p) {
    String name = p.name().value();
    String issuer = p.all(JwtField.Issuer.class).getFirst().issuer().value();
    List<String> audiences =
        p.all(JwtField.Audiences.class).stream()
            .limit(1)
            .flatMap(a -> a.audiences().stream())
            .map(StringLit::value)
            .distinct()
            .toList();
    JwtIr.JwksIr jwks =
        p.fields().stream()
            .<JwtIr.JwksIr>mapMulti(
                (f, out) -> {
                  switch (f) {
                    case JwtField.RemoteJwks r -> out.accept(remote(name, r));
                    case JwtField.LocalJwks l ->
                        out.accept(new JwtIr.JwksIr.Local(TlsLowering.file(l.file())));
                    default -> {}
                  }
                })
            .findFirst()
            .orElseThrow();
    List<JwtIr.TokenSourceIr> from = new ArrayList<>();
    for (JwtField f : p.fields()) {
      switch (f) {
        case JwtField.FromHeader h ->
            from.add(
                new JwtIr.TokenSourceIr(
                    JwtIr.TokenSourceIr.Kind.HEADER,
                    h.header().value().toLowerCase(Locale.ROOT),
                    h.prefix().map(StringLit::value).orElse("")));
        case JwtField.FromQuery q ->
            from.add(
                new JwtIr.TokenSourceIr(JwtIr.TokenSourceIr.Kind.QUERY, q.parameter().value(), ""));
        case JwtField.FromCookie c ->
            from.add(
                new JwtIr.TokenSourceIr(JwtIr.TokenSourceIr.Kind.COOKIE, c.cookie().value(), ""));
        default -> {}
      }
    }
    List<JwtIr.ClaimHeaderIr> claims =
        p.all(JwtField.ClaimToHeader.class).stream()
            .map(
                c ->
                    new JwtIr.ClaimHeaderIr(
                        c.claim().value(), c.header().value().toLowerCase(Locale.ROOT)))
            .toList();
    return new JwtIr.ProviderIr(name, issuer, audiences, jwks, from, claims);
  }

  private static JwtIr.JwksIr remote(String provider, JwtField.RemoteJwks r) {
    URI uri = URI.create(r.url().value());
    boolean tls = uri.getScheme().equalsIgnoreCase("https");
    int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    Duration cache =
        r.cache().flatMap(DurationLit::value).filter(d -> !d.isZero()).orElse(DEFAULT_CACHE);
    return new JwtIr.JwksIr.Remote(
        r.url().value(), "jwks:" + provider, host.toLowerCase(Locale.ROOT), port, tls, cache);
  }
}
