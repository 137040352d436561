package dev.meshgate.xds;

import dev.meshgate.xds.identity.ProxyIdentity;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a proxy have only its own group: every request that carries a node must claim (with {@code
 * node.cluster} and the {@code meshgate.role} metadata) exactly the group its TLS client
 * certificate names ({@code urn:meshgate:proxy:<role>:<name>}). Otherwise the stream is closed with
 * PERMISSION_DENIED before java-control-plane sees the request, and the refusal is logged, counted
 * and kept for /status. Since every group has its own snapshot, a proxy so checked can read only
 * its own resources and secrets.
 *
 * <p>Installed only when xDS is served over TLS: with {@code --insecure-xds} there is no
 * certificate to check a claim against.
 */
final class ProxyAuthenticator implements ServerInterceptor {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyAuthenticator.class);

  private final Metrics metrics;
  private final XdsRefusals refusals;
  private final Clock clock;

  ProxyAuthenticator(Metrics metrics, XdsRefusals refusals, Clock clock) {
    this.metrics = metrics;
    this.refusals = refusals;
    this.clock = clock;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    PeerIdentity peer = peerIdentity(call);
    RefusableCall<Q, R> guarded = new RefusableCall<>(call);
    ServerCall.Listener<Q> delegate = next.startCall(guarded, headers);
    return new SimpleForwardingServerCallListener<>(delegate) {
      // gRPC delivers one call's messages one at a time.
      private boolean checkedOnce;

      @Override
      public void onMessage(Q message) {
        if (guarded.closed()) {
          return;
        }
        Optional<Node> node = nodeOf(message);
        if (node.isEmpty() && !checkedOnce) {
          refuse(XdsRefusals.Reason.NO_NODE, Node.getDefaultInstance());
          return;
        }
        if (node.isPresent()) {
          String claimed = NodeGroups.key(node.get());
          if (peer.group().isEmpty()) {
            refuse(XdsRefusals.Reason.NOT_A_PROXY_CERTIFICATE, node.get());
            return;
          }
          if (!peer.group().get().equals(claimed)) {
            refuse(XdsRefusals.Reason.GROUP_MISMATCH, node.get());
            return;
          }
          checkedOnce = true;
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!guarded.closed()) {
          super.onHalfClose();
        }
      }

      private void refuse(XdsRefusals.Reason reason, Node node) {
        String claimed = node.equals(Node.getDefaultInstance()) ? "" : NodeGroups.key(node);
        var refusal =
            new XdsRefusals.Refusal(
                clock.instant(),
                reason.label(),
                node.getId(),
                claimed,
                peer.identity(),
                peer.address());
        refusals.add(refusal);
        metrics.refused(reason);
        LOG.warn(
            "refused xDS stream from {}: node {} claims group {} but its certificate is {} ({})",
            refusal.peer(),
            refusal.nodeId().isEmpty() ? "(none)" : refusal.nodeId(),
            claimed.isEmpty() ? "(none)" : claimed,
            refusal.certIdentity(),
            reason.label());
        String description =
            switch (reason) {
              case GROUP_MISMATCH ->
                  "this client certificate is for "
                      + peer.identity()
                      + ", not for group "
                      + claimed;
              case NOT_A_PROXY_CERTIFICATE ->
                  "this client certificate ("
                      + peer.identity()
                      + ") is not an xDS proxy credential; use the one"
                      + " `meshgate bootstrap` issues";
              case NO_NODE -> "the first request of a stream must carry the node";
              case UNTRUSTED_CERTIFICATE, TLS_HANDSHAKE ->
                  throw new IllegalStateException("refused at the handshake, never here");
            };
        guarded.refuse(Status.PERMISSION_DENIED.withDescription(description));
        // Let java-control-plane end its side of the stream as if the client had gone; what
        // it tries to send from now on is dropped by the guarded call.
        super.onHalfClose();
      }
    };
  }

  private static Optional<Node> nodeOf(Object message) {
    return switch (message) {
      case DiscoveryRequest r when r.hasNode() -> Optional.of(r.getNode());
      case DeltaDiscoveryRequest r when r.hasNode() -> Optional.of(r.getNode());
      default -> Optional.empty();
    };
  }

  /**
   * Who the peer is by its certificate: the group its proxy URI SAN names, if any, and a printable
   * identity (all its URI SANs, or its subject).
   */
  record PeerIdentity(Optional<String> group, String identity, String address) {}

  static PeerIdentity peerIdentity(ServerCall<?, ?> call) {
    String address = String.valueOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session == null) {
      return new PeerIdentity(Optional.empty(), "(no TLS session)", address);
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
        return new PeerIdentity(Optional.empty(), "(no client certificate)", address);
      }
      List<String> uris = uriSans(leaf);
      Optional<String> group = Optional.empty();
      for (String uri : uris) {
        Optional<String> g = ProxyIdentity.parse(uri);
        if (g.isPresent()) {
          if (group.isPresent()) {
            // Two proxy names in one certificate: ambiguous, so it names no one.
            return new PeerIdentity(Optional.empty(), String.join(", ", uris), address);
          }
          group = g;
        }
      }
      String identity =
          uris.isEmpty() ? leaf.getSubjectX500Principal().getName() : String.join(", ", uris);
      return new PeerIdentity(group, identity, address);
    } catch (SSLPeerUnverifiedException e) {
      return new PeerIdentity(Optional.empty(), "(no client certificate)", address);
    }
  }

  static List<String> uriSans(X509Certificate certificate) {
    List<String> uris = new ArrayList<>();
    try {
      Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (san.size() >= 2
              && Integer.valueOf(6).equals(san.get(0))
              && san.get(1) instanceof String uri) {
            uris.add(uri);
          }
        }
      }
    } catch (CertificateParsingException e) {
      // no readable SANs: no identity
    }
    return uris;
  }

  /** A call that, once refused, is closed and ignores whatever else the server side sends. */
  private static final class RefusableCall<Q, R> extends SimpleForwardingServerCall<Q, R> {
    private boolean closed;

    RefusableCall(ServerCall<Q, R> call) {
      super(call);
    }

    synchronized boolean closed() {
      return closed;
    }

    synchronized void refuse(Status status) {
      if (!closed) {
        closed = true;
        super.close(status, new Metadata());
      }
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
      if (!closed) {
        super.sendHeaders(headers);
      }
    }

    @Override
    public synchronized void sendMessage(R message) {
      if (!closed) {
        super.sendMessage(message);
      }
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      if (!closed) {
        closed = true;
        super.close(status, trailers);
      }
    }
  }
}
