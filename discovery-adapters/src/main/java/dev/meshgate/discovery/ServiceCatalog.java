package dev.meshgate.discovery;

/**
 * Where service endpoints come from: the policy itself ({@link StaticCatalog}), and later Consul
 * (blocking queries) and Kubernetes (EndpointSlice informers). Push-based, because the real sources
 * are: a subscriber gets the full endpoint list whenever it changes, never a diff, so a missed
 * update cannot leave it inconsistent.
 *
 * <p>Implementations are thread-safe. Closing the catalog cancels every subscription.
 */
public interface ServiceCatalog extends AutoCloseable {

  /**
   * Starts watching {@code query}; {@code listener} gets the endpoint list as soon as it is known
   * and after every change (see {@link EndpointListener} for threading).
   *
   * @throws UnsupportedQueryException when this catalog cannot answer this kind of query (for
   *     example a Consul query given to a catalog without a Consul connection)
   */
  Subscription subscribe(ServiceQuery query, EndpointListener listener);

  /**
   * The watches currently serving last known endpoints because their source cannot answer (for
   * example Consul is unreachable): what metrics and status pages show. Empty when every watch is
   * up to date, and for catalogs that cannot go stale (the default).
   */
  default java.util.List<Staleness> staleness() {
    return java.util.List.of();
  }

  /** Cancels every subscription and releases connections and threads. */
  @Override
  void close();
}
