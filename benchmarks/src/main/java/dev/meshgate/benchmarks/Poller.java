package dev.meshgate.benchmarks;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Asks an Envoy listener for {@code GET /} over one kept-alive HTTP/1.1 connection, pausing 1 ms
 * between requests, until the body is the one expected.
 *
 * <p>Why not {@link java.net.http.HttpClient} in a loop: the benchmark was partly measuring itself
 * (issue 17.1). A request per iteration on a client's executor threads, with no pause, kept a core
 * busy on a 2-core machine where the server and Envoy need both; a new connection per request adds
 * Envoy's accept and a handshake to every sample. One socket, written and read on the calling
 * thread, costs Envoy one request per millisecond and the benchmark almost nothing. A route change
 * applies to the next request on an established connection, so the socket sees it as a new one
 * would. The connection is opened again when Envoy closes it (the listener not up yet, a drain).
 */
final class Poller implements AutoCloseable {
  private static final int PAUSE_MILLIS = 1;
  private static final int READ_TIMEOUT_MILLIS = 2000;

  private final String host;
  private final int port;
  private final byte[] request;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  Poller(String host, int port) {
    this.host = host;
    this.port = port;
    this.request =
        ("GET / HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
  }

  /** Polls until the body is {@code body}; returns {@link System#nanoTime()} when it first was. */
  long awaitBody(String body, long deadlineNanos) throws InterruptedException {
    String last = "(no answer)";
    while (System.nanoTime() < deadlineNanos) {
      try {
        String got = get();
        if (got.equals(body)) {
          return System.nanoTime();
        }
        last = got;
      } catch (IOException e) {
        disconnect(); // the listener is not there yet, or Envoy closed the connection
        last = e.toString();
      }
      Thread.sleep(PAUSE_MILLIS);
    }
    throw new IllegalStateException("Envoy did not answer " + body + " in time; last: " + last);
  }

  private String get() throws IOException {
    if (socket == null) {
      Socket s = new Socket();
      s.setTcpNoDelay(true);
      s.setSoTimeout(READ_TIMEOUT_MILLIS);
      s.connect(new InetSocketAddress(host, port), READ_TIMEOUT_MILLIS);
      socket = s;
      in = new BufferedInputStream(s.getInputStream());
      out = s.getOutputStream();
    }
    out.write(request);
    out.flush();
    int length = -1;
    boolean close = false;
    String status = line();
    if (!status.startsWith("HTTP/1.1 ")) {
      throw new IOException("not an HTTP/1.1 answer: " + status);
    }
    for (String header = line(); !header.isEmpty(); header = line()) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(lower.substring("content-length:".length()).trim());
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        close = true;
      }
    }
    if (length < 0) {
      throw new IOException("no content-length in the answer"); // Envoy's direct responses have it
    }
    String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
    if (close) {
      disconnect();
    }
    return body;
  }

  private String line() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed");
      }
      if (b != '\r') {
        bytes.write(b);
      }
    }
    return bytes.toString(StandardCharsets.US_ASCII);
  }

  private void disconnect() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a broken connection: nothing to do
      }
      socket = null;
    }
  }

  @Override
  public void close() {
    disconnect();
  }
}
