package dev.meshgate.cli.demo;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.JwtIr;
import dev.meshgate.compiler.ir.PolicyIr;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A stand-in identity provider for the demo: for each {@code jwt-provider} whose JWKS URL is plain
 * http on loopback (an address no real provider has), it serves a JWKS of a key made at start-up on
 * that URL and mints a token Envoy accepts, so the quick start's protected routes can be tried with
 * a {@code curl} that works. The key lives only in this process: every start has a new one.
 */
final class DemoIssuer implements AutoCloseable {
  private static final Duration VALIDITY = Duration.ofHours(1);

  /** One provider the demo issues for: the shell variable its token is printed as, the token. */
  record Issued(String provider, String variable, String token) {}

  private final List<HttpServer> servers;
  private final List<Issued> issued;

  private DemoIssuer(List<HttpServer> servers, List<Issued> issued) {
    this.servers = servers;
    this.issued = List.copyOf(issued);
  }

  /** Starts a JWKS server for each loopback provider; a provider it cannot serve is skipped. */
  static DemoIssuer start(PolicyIr ir, java.io.PrintWriter err) {
    Map<String, JwtIr.ProviderIr> providers = new LinkedHashMap<>();
    for (GatewayIr gateway : ir.gateways()) {
      for (JwtIr.ProviderIr p : gateway.jwtProviders()) {
        if (p.jwks() instanceof JwtIr.JwksIr.Remote r && !r.tls() && isLoopback(r.host())) {
          providers.putIfAbsent(p.name(), p);
        }
      }
    }
    List<HttpServer> servers = new ArrayList<>();
    List<Issued> issued = new ArrayList<>();
    Map<String, HttpServer> byAddress = new LinkedHashMap<>();
    for (JwtIr.ProviderIr p : providers.values()) {
      JwtIr.JwksIr.Remote remote = (JwtIr.JwksIr.Remote) p.jwks();
      try {
        RSAKey key = new RSAKeyGenerator(2048).keyID("demo-" + p.name()).generate();
        String address = remote.host() + ":" + remote.port();
        HttpServer server = byAddress.get(address);
        if (server == null) {
          server = HttpServer.create(new InetSocketAddress(remote.host(), remote.port()), 0);
          server.start();
          byAddress.put(address, server);
          servers.add(server);
        }
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server.createContext(
            URI.create(remote.url()).getPath(),
            exchange -> {
              exchange.getResponseHeaders().set("content-type", "application/json");
              exchange.sendResponseHeaders(200, jwks.length);
              try (OutputStream body = exchange.getResponseBody()) {
                body.write(jwks);
              }
            });
        issued.add(new Issued(p.name(), variable(p.name(), providers.size()), token(p, key)));
        err.println(
            "meshgate: demo: serving a demo JWKS for jwt-provider \""
                + p.name()
                + "\" on "
                + remote.url());
      } catch (IOException | JOSEException | IllegalArgumentException e) {
        err.println(
            "meshgate: demo: cannot serve the JWKS of jwt-provider \""
                + p.name()
                + "\" on "
                + remote.url()
                + " ("
                + e.getMessage()
                + "); its routes cannot be tried with a token");
      }
    }
    err.flush();
    return new DemoIssuer(servers, issued);
  }

  List<Issued> issued() {
    return issued;
  }

  /** The shell variable holding the token of {@code provider}, if the demo issues for it. */
  Optional<String> variable(String provider) {
    return issued.stream()
        .filter(i -> i.provider().equals(provider))
        .map(Issued::variable)
        .findFirst();
  }

  /** What to paste in a shell before the curls: {@code TOKEN=eyJ…}, one line per provider. */
  List<String> exports() {
    return issued.stream().map(i -> i.variable() + "=" + i.token()).toList();
  }

  @Override
  public void close() {
    servers.forEach(s -> s.stop(0));
  }

  /** {@code TOKEN} when there is one provider, else {@code TOKEN_<NAME>}. */
  private static String variable(String provider, int providers) {
    return providers == 1
        ? "TOKEN"
        : "TOKEN_" + provider.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  private static String token(JwtIr.ProviderIr p, RSAKey key) throws JOSEException {
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(p.issuer())
            .subject("demo-user")
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(VALIDITY)));
    if (!p.audiences().isEmpty()) {
      claims.audience(p.audiences().getFirst());
    }
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            claims.build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
  }
}
