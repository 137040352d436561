package dev.meshgate.it;

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
import dev.meshgate.compiler.ir.JwtIr;
import dev.meshgate.compiler.simulate.TestRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * Real tokens for an example's {@code with jwt} / {@code with jwt claims { … }} requests, so
 * PolicyTestsIT can send them through Envoy: the example's JWKS is replaced by this key's public
 * half (its own keys are an identity provider's we do not hold), and each request gets a token of
 * the gateway's provider (its issuer and first audience unless the claims say otherwise), signed
 * with this key and placed where the provider reads it.
 */
final class ExampleTokens {
  private final RSAKey key;

  ExampleTokens() {
    try {
      key = new RSAKeyGenerator(2048).keyID("policy-tests").generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The JWKS every rewritten provider reads: the public key only. */
  String jwks() {
    return new JWKSet(key.toPublicJWK()).toString();
  }

  /** Where a request's token goes: extra headers (name, value pairs) and an extra query part. */
  record Placement(List<String> headers, String query) {
    Placement {
      headers = List.copyOf(headers);
    }
  }

  Placement place(JwtIr.ProviderIr provider, TestRequest request) {
    String token = token(provider, request.jwtClaims());
    if (provider.from().isEmpty()) {
      return new Placement(List.of("authorization", "Bearer " + token), "");
    }
    JwtIr.TokenSourceIr from = provider.from().getFirst();
    return switch (from.kind()) {
      case HEADER -> new Placement(List.of(from.name(), from.prefix() + token), "");
      case COOKIE -> new Placement(List.of("cookie", from.name() + "=" + token), "");
      case QUERY ->
          new Placement(
              List.of(),
              URLEncoder.encode(from.name(), StandardCharsets.UTF_8)
                  + "="
                  + URLEncoder.encode(token, StandardCharsets.UTF_8));
    };
  }

  private String token(JwtIr.ProviderIr provider, Map<String, String> written) {
    Instant now = Instant.now();
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(provider.issuer())
            .subject("policy-tests")
            .issueTime(Date.from(now.minusSeconds(5)))
            .expirationTime(Date.from(now.plusSeconds(600)));
    if (!provider.audiences().isEmpty()) {
      claims.audience(provider.audiences().getFirst());
    }
    // Written claims win, as strings (`"aud" = "payroll"` is another audience).
    written.forEach(claims::claim);
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256)
                  .keyID(key.getKeyID())
                  .type(JOSEObjectType.JWT)
                  .build(),
              claims.build());
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
