package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code protocol tcp} service through two sidecars: orders' app connects to a local port of its
 * sidecar ({@code call orders -> db { port P }}), which relays the connection over mTLS to db's
 * sidecar, which checks the peer's SPIFFE ID with network RBAC and relays the bytes to db's app, a
 * raw TCP echo server. A peer no allow rule names is cut off by network RBAC.
 *
 * <p>The mesh is {@code mtls permissive} only so that a peer without any identity (a plain socket
 * straight to db's inbound port) can reach the RBAC filters at all: orders' connection is still
 * mTLS (the test checks db's listener counted a TLS handshake), and under {@code authz default
 * deny} the plaintext peer matches no allow rule.
 */
@ExtendWith(PrintLogsOnFailure.class)
class MeshTcpIT {
  private static final Duration IO_TIMEOUT = Duration.ofSeconds(5);

  @TempDir static Path work;
  static EchoServer echo;
  static int callPort;
  static MeshStack mesh;

  @BeforeAll
  static void start() throws IOException {
    echo = new EchoServer();
    callPort = FreePorts.next();
    String policy =
        """
        mesh shop {
          trust-domain "shop.example"
          mtls permissive
          authz default deny
        }
        service db {
          source static 127.0.0.1:${db.inbound}
          protocol tcp
          sidecar {
            inbound 127.0.0.1:${db.inbound}
            app 127.0.0.1:ECHO
            outbound 127.0.0.1:${db.outbound}
          }
        }
        """
                .replace("ECHO", Integer.toString(echo.port()))
            + MeshStack.service("orders")
            + """
            allow orders -> db
            call orders -> db { port CALL }
            """
                .replace("CALL", Integer.toString(callPort));
    mesh = MeshStack.start(work, policy, List.of("orders", "db"), List.of());
  }

  @AfterEach
  void envoysRejectedNothing() {
    mesh.assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(mesh, echo);
  }

  @Test
  void bytesGoThroughBothSidecarsOverMtlsAndRbacCountsTheAllowedConnection() throws IOException {
    Map<String, Long> before = dbStats();
    int accepted = echo.accepted();
    String message = "ping over the mesh " + System.nanoTime() + "\n";
    try (Socket socket = connect(callPort)) {
      socket.getOutputStream().write(message.getBytes(StandardCharsets.UTF_8));
      socket.getOutputStream().flush();
      assertThat(read(socket, message.length())).isEqualTo(message);
    }
    assertThat(echo.accepted()).as("connections the echo app accepted").isEqualTo(accepted + 1);
    Map<String, Long> after = dbStats();
    assertThat(delta(before, after, "db_allow.rbac.allowed"))
        .as("network RBAC allowed counter of db's sidecar (stats: %s)", after)
        .isEqualTo(1);
    assertThat(delta(before, after, "db_allow.rbac.denied")).isZero();
    assertThat(sum(after, ".ssl.handshake") - sum(before, ".ssl.handshake"))
        .as("TLS handshakes on db's inbound listener (stats: %s)", after)
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void aPeerNoAllowRuleNamesIsCutOffAndCounted() throws IOException {
    Map<String, Long> before = dbStats();
    long received = echo.bytesReceived();
    // No certificate, so no identity: straight at db's inbound port, the plaintext chain.
    try (Socket socket = connect(mesh.member("db").inbound())) {
      OutputStream out = socket.getOutputStream();
      try {
        out.write("let me in\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (SocketException closedAlready) {
        // fine: Envoy may have closed it before we finished writing
      }
      assertThat(readUntilClosed(socket)).as("bytes echoed to a denied peer").isEmpty();
    }
    // tcp_proxy opens its upstream connection as soon as the peer connects; network RBAC decides
    // on the peer's first bytes, and a denied peer's bytes never reach the app (docs/security.md).
    assertThat(echo.bytesReceived()).as("bytes that reached the echo app").isEqualTo(received);
    Wait.until(
        IO_TIMEOUT,
        "db's network RBAC to count the denied connection",
        () -> delta(before, dbStats(), "db_allow.rbac.denied") == 1);
  }

  /** The RBAC, TLS and tcp_proxy stats of db's sidecar, zeros included. */
  private static Map<String, Long> dbStats() {
    return mesh.envoy("db").stats("(\\.rbac\\.|ssl\\.handshake|^tcp\\.)", false);
  }

  private static long delta(Map<String, Long> before, Map<String, Long> after, String name) {
    return after.getOrDefault(name, 0L) - before.getOrDefault(name, 0L);
  }

  private static long sum(Map<String, Long> stats, String suffix) {
    return stats.entrySet().stream()
        .filter(e -> e.getKey().startsWith("listener.") && e.getKey().endsWith(suffix))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  private static Socket connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.connect(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) IO_TIMEOUT.toMillis());
    socket.setSoTimeout((int) IO_TIMEOUT.toMillis());
    return socket;
  }

  private static String read(Socket socket, int length) throws IOException {
    byte[] buffer = new byte[length];
    int n = 0;
    InputStream in = socket.getInputStream();
    while (n < length) {
      int r = in.read(buffer, n, length - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    return new String(buffer, 0, n, StandardCharsets.UTF_8);
  }

  /** Everything the peer sends until it closes the connection (a timeout fails the test). */
  private static String readUntilClosed(Socket socket) throws IOException {
    StringBuilder got = new StringBuilder();
    byte[] buffer = new byte[256];
    InputStream in = socket.getInputStream();
    try {
      for (int r; (r = in.read(buffer)) >= 0; ) {
        got.append(new String(buffer, 0, r, StandardCharsets.UTF_8));
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the denied connection was not closed within " + IO_TIMEOUT, e);
    } catch (SocketException reset) {
      // a reset is a close too
    }
    return got.toString();
  }

  /** db's app: echoes every byte back, one thread per connection. */
  static final class EchoServer implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong bytes =
        new java.util.concurrent.atomic.AtomicLong();

    EchoServer() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread.ofVirtual().name("echo-accept").start(this::acceptLoop);
    }

    int port() {
      return server.getLocalPort();
    }

    int accepted() {
      return accepted.get();
    }

    long bytesReceived() {
      return bytes.get();
    }

    private void acceptLoop() {
      while (!server.isClosed()) {
        try {
          Socket socket = server.accept();
          accepted.incrementAndGet();
          Thread.ofVirtual().name("echo").start(() -> echo(socket));
        } catch (IOException e) {
          return; // closed
        }
      }
    }

    private void echo(Socket socket) {
      try (socket) {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        byte[] buffer = new byte[4096];
        for (int r; (r = in.read(buffer)) >= 0; ) {
          bytes.addAndGet(r);
          out.write(buffer, 0, r);
          out.flush();
        }
      } catch (IOException ignored) {
        // the peer went away
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
