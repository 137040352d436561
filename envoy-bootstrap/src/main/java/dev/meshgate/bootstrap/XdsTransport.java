package dev.meshgate.bootstrap;

/**
 * How an Envoy speaks ADS to the server. The server supports both; state of the world is the
 * default because it is what every Envoy version handles and what the config dumps show plainly.
 */
public enum XdsTransport {
  /** Every response carries the whole set of resources of its type ({@code api_type: GRPC}). */
  STATE_OF_THE_WORLD("GRPC"),
  /** Responses carry only what changed ({@code api_type: DELTA_GRPC}). */
  DELTA("DELTA_GRPC");

  private final String apiType;

  XdsTransport(String apiType) {
    this.apiType = apiType;
  }

  /** The {@code ads_config.api_type} value Envoy expects. */
  public String apiType() {
    return apiType;
  }
}
