package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshgate.xds.identity.CertificateAuthority;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustedChainsTest {
  @TempDir Path caDir;
  @TempDir Path otherCaDir;

  /** The JDK's PKIX trust manager for {@code ca}, as the xDS server builds it, counting checks. */
  static final class Counting extends ForwardingTrustManager {
    final AtomicInteger clientChecks = new AtomicInteger();

    Counting(CertificateAuthority ca) throws Exception {
      super(jdk(ca));
    }

    private static X509ExtendedTrustManager jdk(CertificateAuthority ca) throws Exception {
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      int i = 0;
      for (X509Certificate anchor : ca.trustAnchors()) {
        anchors.setCertificateEntry("ca-" + i++, anchor);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(anchors);
      return (X509ExtendedTrustManager) factory.getTrustManagers()[0];
    }

    @Override
    void checkClient(X509Certificate[] chain, String authType, String peer, ClientCheck check)
        throws CertificateException {
      clientChecks.incrementAndGet();
      check.run();
    }
  }

  static final class SettableClock extends Clock {
    Instant now = Instant.now();

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  static X509Certificate[] proxyChain(CertificateAuthority ca, String name, Duration ttl) {
    return ca.issueWorkload("spiffe://meshgate.local/ns/default/sa/" + name, ttl)
        .chain()
        .toArray(X509Certificate[]::new);
  }

  @Test
  void aChainAcceptedOnceIsNotPathValidatedAgainWhileValid() throws Exception {
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(caDir);
    Counting jdk = new Counting(ca);
    TrustedChains trust = new TrustedChains(jdk, Clock.systemUTC());
    X509Certificate[] orders = proxyChain(ca, "orders", Duration.ofHours(1));
    X509Certificate[] catalog = proxyChain(ca, "catalog", Duration.ofHours(1));

    trust.checkClientTrusted(orders, "UNKNOWN", (SSLEngine) null);
    trust.checkClientTrusted(orders, "UNKNOWN", (SSLEngine) null);
    trust.checkClientTrusted(orders.clone(), "UNKNOWN", (SSLEngine) null);
    assertThat(jdk.clientChecks).hasValue(1);

    trust.checkClientTrusted(catalog, "UNKNOWN", (SSLEngine) null);
    assertThat(jdk.clientChecks).hasValue(2);
    assertThat(trust.size()).isEqualTo(2);
  }

  @Test
  void aRefusedChainIsCheckedAndRefusedEveryTime() throws Exception {
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(caDir);
    CertificateAuthority other = CertificateAuthority.loadOrCreate(otherCaDir);
    Counting jdk = new Counting(ca);
    TrustedChains trust = new TrustedChains(jdk, Clock.systemUTC());
    X509Certificate[] stranger = proxyChain(other, "orders", Duration.ofHours(1));

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> trust.checkClientTrusted(stranger, "UNKNOWN", (SSLEngine) null))
          .isInstanceOf(CertificateException.class);
    }
    assertThat(jdk.clientChecks).hasValue(2);
    assertThat(trust.size()).isZero();
  }

  @Test
  void aRememberedChainIsCheckedAgainOnceACertificateOfItHasExpired() throws Exception {
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(caDir);
    Counting jdk = new Counting(ca);
    SettableClock clock = new SettableClock();
    TrustedChains trust = new TrustedChains(jdk, clock);
    X509Certificate[] orders = proxyChain(ca, "orders", Duration.ofMinutes(10));

    trust.checkClientTrusted(orders, "UNKNOWN", (SSLEngine) null);
    clock.now = orders[0].getNotAfter().toInstant();
    trust.checkClientTrusted(orders, "UNKNOWN", (SSLEngine) null);
    assertThat(jdk.clientChecks).hasValue(1);

    clock.now = orders[0].getNotAfter().toInstant().plusSeconds(1);
    // The JDK's check reads the real time, when the certificate is still valid: accepted again,
    // and only after a second path validation.
    trust.checkClientTrusted(orders, "UNKNOWN", (SSLEngine) null);
    assertThat(jdk.clientChecks).hasValue(2);
  }

  @Test
  void theAuthTypeIsPartOfWhatWasAccepted() throws Exception {
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(caDir);
    Counting jdk = new Counting(ca);
    TrustedChains trust = new TrustedChains(jdk, Clock.systemUTC());
    X509Certificate[] orders = proxyChain(ca, "orders", Duration.ofHours(1));

    trust.checkClientTrusted(orders, "UNKNOWN", (SSLEngine) null);
    trust.checkClientTrusted(orders, "ECDHE_ECDSA", (SSLEngine) null);
    assertThat(jdk.clientChecks).hasValue(2);
  }

  @Test
  void atMostCapacityChainsAreRememberedTheLeastRecentlyUsedDroppedFirst() throws Exception {
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(caDir);
    Counting jdk = new Counting(ca);
    assertThat(TrustedChains.CAPACITY).as("docs/security.md").isEqualTo(65_536);
    TrustedChains trust = new TrustedChains(jdk, Clock.systemUTC(), 2);
    X509Certificate[] a = proxyChain(ca, "a", Duration.ofHours(1));
    X509Certificate[] b = proxyChain(ca, "b", Duration.ofHours(1));
    X509Certificate[] c = proxyChain(ca, "c", Duration.ofHours(1));

    trust.checkClientTrusted(a, "UNKNOWN", (SSLEngine) null);
    trust.checkClientTrusted(b, "UNKNOWN", (SSLEngine) null);
    trust.checkClientTrusted(a, "UNKNOWN", (SSLEngine) null); // a used after b
    trust.checkClientTrusted(c, "UNKNOWN", (SSLEngine) null); // b dropped
    assertThat(jdk.clientChecks).hasValue(3);
    assertThat(trust.size()).isEqualTo(2);

    trust.checkClientTrusted(a, "UNKNOWN", (SSLEngine) null);
    assertThat(jdk.clientChecks).hasValue(3);
    trust.checkClientTrusted(b, "UNKNOWN", (SSLEngine) null);
    assertThat(jdk.clientChecks).hasValue(4);
  }
}
