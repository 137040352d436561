package dev.meshgate.discovery.consul;

import dev.meshgate.discovery.Endpoint;
import dev.meshgate.discovery.EndpointListener;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One subscription's listener; every call is made holding its watch's lock. */
final class ConsulSubscriber {
  // Logged under ConsulCatalog's name, as before the class was split, so log configuration and
  // output stay the same.
  private static final Logger LOG = LoggerFactory.getLogger(ConsulCatalog.class);

  private final EndpointListener listener;
  private volatile boolean cancelled;

  ConsulSubscriber(EndpointListener listener) {
    this.listener = listener;
  }

  /** Marks this subscription cancelled; false when it already was. */
  boolean cancel() {
    if (cancelled) {
      return false;
    }
    cancelled = true;
    return true;
  }

  void deliver(List<Endpoint> endpoints) {
    if (cancelled) {
      return;
    }
    try {
      listener.onEndpoints(endpoints);
    } catch (RuntimeException e) {
      LOG.warn("endpoint listener failed", e);
    }
  }

  void error(Throwable error) {
    if (cancelled) {
      return;
    }
    try {
      listener.onError(error);
    } catch (RuntimeException e) {
      LOG.warn("endpoint listener failed", e);
    }
  }
}
