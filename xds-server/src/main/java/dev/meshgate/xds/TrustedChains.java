package dev.meshgate.xds;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Remembers the client certificate chains the xDS server's trust manager accepted, so that a proxy
 * reconnecting with the chain it presented before (a dropped connection, a load balancer draining,
 * a fleet reconnecting at once) is not path-validated again: the JDK's PKIX check with its ECDSA
 * signature verify costs about a millisecond of CPU per handshake, a tenth of the server's work per
 * proxy in a reconnect storm (docs/benchmarks.md, issue 17).
 *
 * <p>Safe because the answer depends only on the chain, the trust anchors and the time: the anchors
 * are fixed for the life of the trust manager this wraps (a new CA means a new server), the chain
 * is the key (its DER encoding, hashed), and a remembered chain is accepted only while every one of
 * its certificates is within its validity. The handshake itself (the client's proof that it holds
 * the key) is checked by TLS on every connection regardless. Refused chains are not remembered:
 * each refusal is checked, and reported, again. At most {@link #CAPACITY} chains, least recently
 * used dropped first.
 */
final class TrustedChains extends ForwardingTrustManager {
  static final int CAPACITY = 65_536;

  private final Clock clock;
  private final int capacity;

  /** Hex SHA-256 of the chain and its auth type → when every certificate of it is valid. */
  private final Map<String, ValidWindow> accepted;

  private record ValidWindow(Instant from, Instant until) {
    boolean contains(Instant now) {
      return !now.isBefore(from) && !now.isAfter(until);
    }
  }

  TrustedChains(X509ExtendedTrustManager delegate, Clock clock) {
    this(delegate, clock, CAPACITY);
  }

  TrustedChains(X509ExtendedTrustManager delegate, Clock clock, int capacity) {
    super(delegate);
    this.clock = clock;
    this.capacity = capacity;
    this.accepted =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, ValidWindow> eldest) {
            return size() > TrustedChains.this.capacity;
          }
        };
  }

  /** How many chains are remembered (for tests). */
  synchronized int size() {
    return accepted.size();
  }

  @Override
  void checkClient(X509Certificate[] chain, String authType, String peer, ClientCheck check)
      throws CertificateException {
    String key = key(chain, authType);
    if (!remembered(key)) {
      check.run();
      remember(key, chain);
    }
  }

  private synchronized boolean remembered(String key) {
    if (key.isEmpty()) {
      return false;
    }
    ValidWindow window = accepted.get(key);
    if (window == null) {
      return false;
    }
    if (window.contains(clock.instant())) {
      return true;
    }
    accepted.remove(key);
    return false;
  }

  private synchronized void remember(String key, X509Certificate[] chain) {
    if (key.isEmpty()) {
      return;
    }
    Instant from = Instant.MIN;
    Instant until = Instant.MAX;
    for (X509Certificate cert : chain) {
      Instant notBefore = cert.getNotBefore().toInstant();
      Instant notAfter = cert.getNotAfter().toInstant();
      from = notBefore.isAfter(from) ? notBefore : from;
      until = notAfter.isBefore(until) ? notAfter : until;
    }
    accepted.put(key, new ValidWindow(from, until));
  }

  /** The chain's identity; empty when it cannot be told (then it is always checked). */
  private static String key(X509Certificate[] chain, String authType) {
    if (chain == null || chain.length == 0) {
      return "";
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(String.valueOf(authType).getBytes(StandardCharsets.UTF_8));
      for (X509Certificate cert : chain) {
        byte[] der = cert.getEncoded();
        sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(der.length).flip());
        sha.update(der);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      return "";
    }
  }
}
