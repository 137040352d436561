package dev.meshgate.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A caller without a sidecar, talking straight to a mesh port over a bare socket, so a test sees
 * exactly what the server did (answered, closed, reset, failed the handshake) with no client
 * library deciding anything on its behalf.
 */
final class RawClient {
  private static final int TIMEOUT_MS = 3000;

  private RawClient() {}

  /** What came back: the HTTP status line if any, else why there was none. */
  record Outcome(Optional<String> statusLine, String detail, List<String> serverUriSans) {
    boolean answered200() {
      return statusLine.map(l -> l.matches("HTTP/1\\.[01] 200.*")).orElse(false);
    }
  }

  /** A plaintext HTTP/1.1 GET of {@code path} with {@code Host: host}. */
  static Outcome plaintextGet(int port, String host, String path) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
      return exchange(socket, host, path, List.of());
    } catch (IOException e) {
      return new Outcome(Optional.empty(), e.toString(), List.of());
    }
  }

  /**
   * The same GET over TLS, trusting any server certificate (it is recorded, not checked) and
   * presenting no client certificate: what a mesh port requiring mTLS must refuse.
   */
  static Outcome tlsGetWithoutClientCertificate(int port, String host, String path) {
    List<String> sans = new ArrayList<>();
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new RecordingTrustManager(sans)}, null);
      try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MS);
        socket.setSoTimeout(TIMEOUT_MS);
        socket.startHandshake();
        return exchange(socket, host, path, sans);
      }
    } catch (IOException | GeneralSecurityException e) {
      return new Outcome(Optional.empty(), e.toString(), List.copyOf(sans));
    }
  }

  private static Outcome exchange(Socket socket, String host, String path, List<String> sans)
      throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    BufferedReader in =
        new BufferedReader(
            new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
    String line = in.readLine();
    return line == null || line.isEmpty()
        ? new Outcome(Optional.empty(), "connection closed without an answer", List.copyOf(sans))
        : new Outcome(Optional.of(line), "answered", List.copyOf(sans));
  }

  /** Accepts any server, remembering the URI SANs of its leaf certificate. */
  private record RecordingTrustManager(List<String> seen) implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      seen.addAll(RawClient.uriSans(chain[0]));
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  /** The URI subject alternative names of {@code cert} (type 6 in RFC 5280). */
  static List<String> uriSans(Certificate cert) {
    try {
      Collection<List<?>> all = ((X509Certificate) cert).getSubjectAlternativeNames();
      if (all == null) {
        return List.of();
      }
      return all.stream()
          .filter(san -> Integer.valueOf(6).equals(san.get(0)))
          .map(san -> san.get(1).toString())
          .toList();
    } catch (CertificateParsingException e) {
      throw new IllegalStateException(e);
    }
  }
}
