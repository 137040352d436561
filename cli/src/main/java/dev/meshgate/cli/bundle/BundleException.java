package dev.meshgate.cli.bundle;

/** A bundle that cannot be written, fetched or trusted; the message says why, in one line. */
public final class BundleException extends Exception {
  private static final long serialVersionUID = 1L;

  public BundleException(String message) {
    super(message);
  }
}
