package dev.meshgate.xds;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A trust manager that hands every check to {@code delegate}, and each of the three client checks
 * through {@link #checkClient}, the one place a subclass changes them (the xDS server's wrappers:
 * {@link TrustedChains}, {@link HandshakeRefusals}).
 */
abstract class ForwardingTrustManager extends X509ExtendedTrustManager {
  /** One of the delegate's client checks, ready to run. */
  @FunctionalInterface
  interface ClientCheck {
    void run() throws CertificateException;
  }

  final X509ExtendedTrustManager delegate;

  ForwardingTrustManager(X509ExtendedTrustManager delegate) {
    this.delegate = delegate;
  }

  /**
   * Checks a client's {@code chain}; {@code check} is the delegate's check of it. {@code peer} is
   * the client's host:port when the handshake tells it, else empty.
   */
  abstract void checkClient(
      X509Certificate[] chain, String authType, String peer, ClientCheck check)
      throws CertificateException;

  @Override
  public final void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    String peer =
        engine == null || engine.getPeerHost() == null
            ? ""
            : engine.getPeerHost() + ":" + engine.getPeerPort();
    checkClient(chain, authType, peer, () -> delegate.checkClientTrusted(chain, authType, engine));
  }

  @Override
  public final void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkClient(chain, authType, "", () -> delegate.checkClientTrusted(chain, authType, socket));
  }

  @Override
  public final void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    checkClient(chain, authType, "", () -> delegate.checkClientTrusted(chain, authType));
  }

  @Override
  public final void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType, engine);
  }

  @Override
  public final void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType, socket);
  }

  @Override
  public final void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType);
  }

  @Override
  public final X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
