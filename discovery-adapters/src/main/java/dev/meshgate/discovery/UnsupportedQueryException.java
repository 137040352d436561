package dev.meshgate.discovery;

/** A catalog was asked for a kind of {@link ServiceQuery} it cannot answer. */
public final class UnsupportedQueryException extends IllegalArgumentException {
  private final transient ServiceQuery query;

  public UnsupportedQueryException(ServiceQuery query, String message) {
    super(message);
    this.query = query;
  }

  public ServiceQuery query() {
    return query;
  }
}
