package dev.meshgate.xds;

import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Seconds until the earliest expiry of the certificates the server serves, by kind: {@code ca}, the
 * mesh CA; {@code workload}, the proxies' identities (rotated by the server, so a falling value
 * means rotation stopped); {@code gateway-tls}, the gateways' own certificates (those from files
 * are renewed by people, and are the ones an alert catches in time). Read from the snapshots being
 * served, so it is what Envoys actually hold. Negative once expired.
 */
final class CertificateExpiry {
  static final String CA = "ca";
  static final String WORKLOAD = "workload";
  static final String GATEWAY_TLS = "gateway-tls";

  private final X509Certificate ca;
  private final Supplier<Collection<Secret>> served;
  private final Clock clock;

  /** Parsed expiries by PEM text, kept between scrapes for the certificates still served. */
  private Map<String, Optional<Instant>> parsed = new HashMap<>();

  CertificateExpiry(X509Certificate ca, Supplier<Collection<Secret>> served, Clock clock) {
    this.ca = ca;
    this.served = served;
    this.clock = clock;
  }

  synchronized Map<String, Long> secondsByKind() {
    Instant now = clock.instant();
    Map<String, Instant> earliest = new TreeMap<>();
    earliest.put(CA, ca.getNotAfter().toInstant());
    Map<String, Optional<Instant>> seen = new HashMap<>();
    for (Secret secret : served.get()) {
      if (!secret.hasTlsCertificate()) {
        continue;
      }
      String pem = text(secret.getTlsCertificate().getCertificateChain());
      if (pem.isEmpty()) {
        continue; // a file the Envoy reads itself: not ours to see
      }
      Optional<Instant> notAfter = parsed.containsKey(pem) ? parsed.get(pem) : notAfter(pem);
      seen.put(pem, notAfter);
      String kind = secret.getName().equals(IdentitySecrets.IDENTITY) ? WORKLOAD : GATEWAY_TLS;
      notAfter.ifPresent(at -> earliest.merge(kind, at, (a, b) -> a.isBefore(b) ? a : b));
    }
    parsed = seen;
    Map<String, Long> seconds = new TreeMap<>();
    earliest.forEach((kind, at) -> seconds.put(kind, Duration.between(now, at).toSeconds()));
    return seconds;
  }

  private static String text(DataSource source) {
    return switch (source.getSpecifierCase()) {
      case INLINE_STRING -> source.getInlineString();
      case INLINE_BYTES -> source.getInlineBytes().toString(StandardCharsets.UTF_8);
      default -> "";
    };
  }

  /** The leaf's (first certificate's) expiry; empty for text that is not a certificate. */
  private static Optional<Instant> notAfter(String pem) {
    try {
      var certificate =
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)));
      return certificate instanceof X509Certificate x
          ? Optional.of(x.getNotAfter().toInstant())
          : Optional.empty();
    } catch (CertificateException e) {
      return Optional.empty();
    }
  }
}
