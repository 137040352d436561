package dev.meshgate.xds;

import io.grpc.Attributes;
import io.grpc.ServerTransportFilter;
import java.time.Duration;

/**
 * When an xDS connection last became ready (its TLS handshake done, for mutual TLS): a fleet
 * reconnecting to a restarted server spends seconds in handshakes before its first streams open,
 * and {@link CompilerWarmup} steps aside for that too, not only for streams and requests ({@link
 * ProxyTracker#requestWithin}).
 */
final class ConnectionActivity extends ServerTransportFilter {
  private volatile long lastReadyNanos = System.nanoTime() - Long.MAX_VALUE / 2;

  @Override
  public Attributes transportReady(Attributes attributes) {
    lastReadyNanos = System.nanoTime();
    return attributes;
  }

  /** Whether a connection became ready within {@code window}. */
  boolean readyWithin(Duration window) {
    return System.nanoTime() - lastReadyNanos < window.toNanos();
  }
}
