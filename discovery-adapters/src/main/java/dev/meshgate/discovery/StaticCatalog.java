package dev.meshgate.discovery;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Answers {@link ServiceQuery.Static} queries: their endpoints never change, so the listener is
 * called exactly once, on the subscribing thread, before {@code subscribe} returns. That lets a
 * consumer publish a complete first configuration without waiting.
 */
public final class StaticCatalog implements ServiceCatalog {
  private final AtomicBoolean closed = new AtomicBoolean();

  @Override
  public Subscription subscribe(ServiceQuery query, EndpointListener listener) {
    if (closed.get()) {
      throw new IllegalStateException("catalog is closed");
    }
    return switch (query) {
      case ServiceQuery.Static s -> {
        listener.onEndpoints(s.endpoints());
        yield () -> {};
      }
      case ServiceQuery.Consul c ->
          throw new UnsupportedQueryException(
              c, "the static catalog cannot look up Consul service \"" + c.service() + "\"");
      case ServiceQuery.Kubernetes k ->
          throw new UnsupportedQueryException(
              k,
              "the static catalog cannot look up Kubernetes service \""
                  + k.namespace()
                  + "/"
                  + k.name()
                  + "\"");
    };
  }

  @Override
  public void close() {
    closed.set(true);
  }
}
