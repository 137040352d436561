package dev.meshgate.xds;

import io.grpc.Attributes;
import io.grpc.ServerTransportFilter;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts and reports the connections refused at the TLS handshake, which never reach the {@link
 * ProxyAuthenticator}: {@link #transportFilter()} sees every connection that ends without becoming
 * a gRPC transport, and {@link #trustManager} tells which of them presented a certificate the CA
 * did not sign (with the peer and the certificate's subject, for /status). Both go to {@code
 * meshgate_xds_refused_total} and the refusals list of /status.
 */
final class HandshakeRefusals {
  private static final Logger LOG = LoggerFactory.getLogger(HandshakeRefusals.class);
  private static final Attributes.Key<Boolean> READY = Attributes.Key.create("meshgate.ready");

  /** How long a trust failure waits for its connection to end, to be reported with it. */
  private static final Duration MATCH_WITHIN = Duration.ofSeconds(10);

  private record Untrusted(Instant at, String peer, String identity, String why) {}

  private final Metrics metrics;
  private final XdsRefusals refusals;
  private final Clock clock;
  private final Deque<Untrusted> pending = new ArrayDeque<>();

  HandshakeRefusals(Metrics metrics, XdsRefusals refusals, Clock clock) {
    this.metrics = metrics;
    this.refusals = refusals;
    this.clock = clock;
  }

  ServerTransportFilter transportFilter() {
    return new ServerTransportFilter() {
      @Override
      public Attributes transportReady(Attributes attributes) {
        return attributes.toBuilder().set(READY, true).build();
      }

      @Override
      public void transportTerminated(Attributes attributes) {
        if (attributes == null || attributes.get(READY) == null) {
          refused();
        }
      }
    };
  }

  private void refused() {
    Untrusted untrusted = takePending();
    XdsRefusals.Reason reason =
        untrusted == null
            ? XdsRefusals.Reason.TLS_HANDSHAKE
            : XdsRefusals.Reason.UNTRUSTED_CERTIFICATE;
    String peer = untrusted == null ? "" : untrusted.peer();
    String identity =
        untrusted == null
            // All a transport that never became ready tells: why it ended is not known here.
            ? "(no trusted client certificate, not TLS, or the handshake did not finish in time:"
                + " the client gave up or the server was too busy)"
            : untrusted.identity() + " (" + untrusted.why() + ")";
    refusals.add(new XdsRefusals.Refusal(clock.instant(), reason.label(), "", "", identity, peer));
    metrics.refused(reason);
    LOG.warn(
        "refused xDS connection{} at the TLS handshake: {}",
        peer.isEmpty() ? "" : " from " + peer,
        identity);
  }

  private synchronized Untrusted takePending() {
    Instant oldest = clock.instant().minus(MATCH_WITHIN);
    while (!pending.isEmpty() && pending.peekFirst().at().isBefore(oldest)) {
      pending.removeFirst();
    }
    return pending.pollFirst();
  }

  private synchronized void untrusted(Untrusted u) {
    pending.addLast(u);
    while (pending.size() > XdsRefusals.KEPT) {
      pending.removeFirst();
    }
  }

  /** {@code delegate}, remembering every client certificate it refuses. */
  X509ExtendedTrustManager trustManager(X509ExtendedTrustManager delegate) {
    return new ForwardingTrustManager(delegate) {
      @Override
      void checkClient(X509Certificate[] chain, String authType, String peer, ClientCheck check)
          throws CertificateException {
        try {
          check.run();
        } catch (CertificateException e) {
          untrusted(new Untrusted(clock.instant(), peer, identity(chain), reason(e)));
          throw e;
        }
      }
    };
  }

  private static String identity(X509Certificate[] chain) {
    if (chain == null || chain.length == 0) {
      return "(no client certificate)";
    }
    var uris = ProxyAuthenticator.uriSans(chain[0]);
    return uris.isEmpty() ? chain[0].getSubjectX500Principal().getName() : String.join(", ", uris);
  }

  private static String reason(CertificateException e) {
    String message = String.valueOf(e.getMessage());
    return message.length() > 120 ? message.substring(0, 120) + "…" : message;
  }
}
