package dev.meshgate.discovery;

/** A live interest in one {@link ServiceQuery}; cancel it to stop updates. */
public interface Subscription extends AutoCloseable {

  /**
   * Stops updates. Idempotent. After it returns no new call to the listener starts (one already
   * running may finish).
   */
  void cancel();

  /** Same as {@link #cancel()}, for try-with-resources. */
  @Override
  default void close() {
    cancel();
  }
}
