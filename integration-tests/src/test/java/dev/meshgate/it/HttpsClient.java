package dev.meshgate.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * An HTTP/1.1 client over a JDK {@link SSLSocket} to 127.0.0.1 with a chosen SNI name, so a test
 * sees which certificate the gateway presented, what ALPN chose, and can keep one connection open
 * across a certificate renewal.
 */
final class HttpsClient implements AutoCloseable {
  private static final int TIMEOUT_MS = 5000;

  record Response(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
    }
  }

  private final SSLSocket socket;
  private final BufferedReader in;
  private final OutputStream out;
  private final String host;

  private HttpsClient(SSLSocket socket, String host) throws IOException {
    this.socket = socket;
    this.host = host;
    this.in =
        new BufferedReader(
            new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
    this.out = socket.getOutputStream();
  }

  /** Connects and completes the handshake (throws if the gateway refuses it). */
  static HttpsClient connect(SSLContext context, int port, String sni, List<String> alpn)
      throws IOException {
    Socket plain = new Socket();
    plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MS);
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, sni, port, true);
    socket.setSoTimeout(TIMEOUT_MS);
    SSLParameters params = socket.getSSLParameters();
    params.setServerNames(List.of(new SNIHostName(sni)));
    params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the SNI host
    if (!alpn.isEmpty()) {
      params.setApplicationProtocols(alpn.toArray(String[]::new));
    }
    socket.setSSLParameters(params);
    socket.startHandshake();
    // TLS 1.3: a refused client certificate shows up on the first read, not in the handshake.
    return new HttpsClient(socket, sni);
  }

  X509Certificate serverCertificate() throws IOException {
    return (X509Certificate) socket.getSession().getPeerCertificates()[0];
  }

  String alpn() {
    return socket.getApplicationProtocol();
  }

  Response request(String method, String path, Map<String, String> headers) throws IOException {
    StringBuilder req =
        new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
    headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
    req.append("\r\n");
    out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    String status = in.readLine();
    if (status == null) {
      throw new IOException("connection closed without a response");
    }
    Map<String, String> responseHeaders = new TreeMap<>();
    String line;
    while ((line = in.readLine()) != null && !line.isEmpty()) {
      int colon = line.indexOf(':');
      responseHeaders.put(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    if (responseHeaders.getOrDefault("transfer-encoding", "").equals("chunked")) {
      StringBuilder chunked = new StringBuilder();
      while (true) {
        int size = Integer.parseInt(in.readLine().trim(), 16);
        char[] chunk = new char[size];
        int got = 0;
        while (got < size) {
          got += in.read(chunk, got, size - got);
        }
        in.readLine();
        if (size == 0) {
          break;
        }
        chunked.append(chunk);
      }
      return new Response(
          Integer.parseInt(status.split(" ")[1]), responseHeaders, chunked.toString());
    }
    int length = Integer.parseInt(responseHeaders.getOrDefault("content-length", "0"));
    char[] body = new char[length];
    int read = 0;
    while (read < length) {
      int n = in.read(body, read, length - read);
      if (n < 0) {
        break;
      }
      read += n;
    }
    return new Response(
        Integer.parseInt(status.split(" ")[1]), responseHeaders, new String(body, 0, read));
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
