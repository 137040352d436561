package dev.meshgate.cli;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/**
 * {@code serve}'s {@code --bind} and ports, checked before any work (compiling, issuing
 * certificates), so a typo costs one line and no side effects.
 */
final class ListenAddress {
  private ListenAddress() {}

  /** {@code bind} as an address of this machine; a usage error naming the option otherwise. */
  static InetAddress resolve(String bind) {
    return resolve(bind, "--bind");
  }

  /** As {@link #resolve(String)}, naming {@code option} in the message. */
  static InetAddress resolve(String bind, String option) {
    String host =
        bind.startsWith("[") && bind.endsWith("]") ? bind.substring(1, bind.length() - 1) : bind;
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw notLocal(bind, option);
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(address, 0));
    } catch (IOException e) {
      throw notLocal(bind, option);
    }
    return address;
  }

  /**
   * Fails with one line when {@code port} cannot be listened on at {@code address} (0: any free
   * port, always fine). The server binds again right after; this only makes the common case, a
   * second {@code meshgate serve}, say which port and what to do.
   */
  static void requireFree(InetAddress address, String bind, int port, String option) {
    if (port == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress(address, port));
    } catch (BindException e) {
      throw UserError.failure(
          "port "
              + port
              + " ("
              + option
              + ") on "
              + bind
              + " is in use: is another meshgate running? pick another with "
              + option
              + " PORT, or "
              + option
              + " 0 for any free port");
    } catch (IOException e) {
      throw UserError.failure(
          "cannot listen on " + bind + " port " + port + " (" + option + "): " + e.getMessage());
    }
  }

  private static UserError notLocal(String bind, String option) {
    return new UserError(
        ExitCode.USAGE,
        option
            + " "
            + bind
            + ": not an address of this machine; use 127.0.0.1 (this machine only), 0.0.0.0 (every"
            + " interface) or one of its own addresses");
  }
}
