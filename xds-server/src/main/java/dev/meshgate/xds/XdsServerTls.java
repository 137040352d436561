package dev.meshgate.xds;

import dev.meshgate.xds.identity.CertificateAuthority;
import dev.meshgate.xds.identity.IssuedCertificate;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The xDS server's side of mutual TLS: its own certificate (URI SAN {@code
 * urn:meshgate:xds-server}, issued by the CA at start and replaced at half life without a restart)
 * and a client certificate REQUIRED, verified against the CA's trust anchors.
 */
final class XdsServerTls implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(XdsServerTls.class);

  /** The server certificate's life; a new one is put in place at half of it. */
  static final Duration SERVER_CERT_TTL = Duration.ofDays(30);

  private final CertificateAuthority ca;
  private final List<String> addresses;
  private final AdvancedTlsX509KeyManager keyManager = new AdvancedTlsX509KeyManager();
  private final ScheduledExecutorService renewer;
  private final ServerCredentials credentials;

  private XdsServerTls(
      CertificateAuthority ca, List<String> addresses, UnaryOperator<X509ExtendedTrustManager> wrap)
      throws GeneralSecurityException {
    this.ca = ca;
    this.addresses = List.copyOf(addresses);
    renew();
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      anchors.load(null, null);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e); // an empty in-memory store
    }
    int i = 0;
    for (X509Certificate anchor : ca.trustAnchors()) {
      anchors.setCertificateEntry("meshgate-ca-" + i++, anchor);
    }
    trust.init(anchors);
    this.credentials =
        TlsServerCredentials.newBuilder()
            .keyManager(keyManager)
            .trustManager(wrap.apply((X509ExtendedTrustManager) trust.getTrustManagers()[0]))
            .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
            .build();
    this.renewer =
        Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "meshgate-xds-cert");
          t.setDaemon(true);
          return t;
        });
    long half = SERVER_CERT_TTL.dividedBy(2).toMinutes();
    renewer.scheduleAtFixedRate(this::renewQuietly, half, half, TimeUnit.MINUTES);
  }

  static XdsServerTls start(CertificateAuthority ca, List<String> addresses) {
    return start(ca, addresses, UnaryOperator.identity());
  }

  /** As {@link #start(CertificateAuthority, List)}, client certificates checked by {@code wrap}. */
  static XdsServerTls start(
      CertificateAuthority ca,
      List<String> addresses,
      UnaryOperator<X509ExtendedTrustManager> wrap) {
    try {
      return new XdsServerTls(ca, addresses, wrap);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS for xDS: " + e.getMessage(), e);
    }
  }

  ServerCredentials credentials() {
    return credentials;
  }

  private void renew() {
    IssuedCertificate cert = ca.issueServer(addresses, SERVER_CERT_TTL);
    keyManager.updateIdentityCredentials(cert.chain().toArray(X509Certificate[]::new), cert.key());
    LOG.info(
        "xDS server certificate serial {} for {} (valid until {})",
        cert.serialHex(),
        addresses,
        cert.notAfter());
  }

  private void renewQuietly() {
    try {
      renew();
    } catch (RuntimeException e) {
      LOG.error("could not renew the xDS server certificate; the current one stays in use", e);
    }
  }

  @Override
  public void close() {
    renewer.shutdownNow();
  }

  /**
   * The names the server certificate carries besides its URI: loopback always, the bind address,
   * and for a wildcard bind every address of this host.
   */
  static List<String> serverAddresses(String bindAddress) {
    Set<String> names = new LinkedHashSet<>(List.of("127.0.0.1", "::1", "localhost"));
    String bind =
        bindAddress.startsWith("[")
            ? bindAddress.substring(1, bindAddress.length() - 1)
            : bindAddress;
    if (bind.equals("0.0.0.0") || bind.equals("::")) {
      try {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
          for (InetAddress a : Collections.list(nic.getInetAddresses())) {
            if (!a.isLinkLocalAddress()) {
              names.add(a.getHostAddress().replaceAll("%.*", ""));
            }
          }
        }
        names.add(InetAddress.getLocalHost().getHostName());
      } catch (IOException e) {
        LOG.debug("cannot list this host's addresses for the server certificate", e);
      }
    } else if (!bind.isEmpty()) {
      names.add(bind);
    }
    return List.copyOf(names);
  }
}
