package dev.meshgate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free loopback ports, chosen at run time so tests never collide with each other or the host.
 *
 * <p>A port is only free when asked: nothing holds it until the process it was meant for binds it.
 * A mesh test hands out a sidecar's inbound and outbound ports long before that Envoy starts, and
 * the OS would happily offer the same number again (as an admin port, say) in the meantime. So no
 * port is ever handed out twice in this JVM.
 */
final class FreePorts {
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private FreePorts() {}

  static int next() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = probe();
      if (HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException(
        "no unused free port after 100 attempts; handed out " + HANDED_OUT.size());
  }

  private static int probe() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
