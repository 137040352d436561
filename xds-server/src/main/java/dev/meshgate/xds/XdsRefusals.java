package dev.meshgate.xds;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The latest xDS streams the server refused, newest first, for /status. */
final class XdsRefusals {
  /** How many refusals /status shows. */
  static final int KEPT = 20;

  /**
   * One refused stream.
   *
   * @param reason a {@link Reason} label
   * @param claimedGroup the group the node claimed ({@code sidecar:orders}), "" if it sent none
   * @param certIdentity the client certificate's URI SANs, or its subject when it has none
   */
  record Refusal(
      Instant at,
      String reason,
      String nodeId,
      String claimedGroup,
      String certIdentity,
      String peer) {}

  /**
   * Why a stream (or, for the handshake reasons, a connection) was refused; the label is the {@code
   * reason} of {@code meshgate_xds_refused_total}.
   */
  enum Reason {
    /** The node claims a group other than the one its certificate names. */
    GROUP_MISMATCH("group-mismatch"),
    /** The certificate is the CA's but names no proxy (a workload certificate, say). */
    NOT_A_PROXY_CERTIFICATE("not-a-proxy-certificate"),
    /** The first request of the stream carries no node, so there is no claim to check. */
    NO_NODE("no-node"),
    /** The TLS handshake failed on the client certificate: another CA, self-signed, expired. */
    UNTRUSTED_CERTIFICATE("untrusted-certificate"),
    /**
     * The connection ended before its TLS handshake completed for another reason: no client
     * certificate, not TLS at all, or a connection opened and closed (a port probe).
     */
    TLS_HANDSHAKE("tls-handshake");

    private final String label;

    Reason(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  private final Deque<Refusal> latest = new ArrayDeque<>();

  synchronized void add(Refusal refusal) {
    latest.addFirst(refusal);
    while (latest.size() > KEPT) {
      latest.removeLast();
    }
  }

  synchronized List<Refusal> latest() {
    return new ArrayList<>(latest);
  }
}
