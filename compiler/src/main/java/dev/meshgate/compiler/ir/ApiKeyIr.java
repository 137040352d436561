package dev.meshgate.compiler.ir;

import java.util.List;
import java.util.Optional;

/**
 * api keys (issue 12): what a route requires: a key of {@code provider} (empty: {@code require
 * none}, no key needed), from one of {@code clients} (empty: any client of the provider).
 */
public record ApiKeyIr(Optional<String> provider, List<String> clients) {
  /**
   * The request header that carries the authenticated client's name to the backend (and to rate
   * limits and access logs). Fixed, so backends can rely on it; Envoy sets it on routes that
   * require a key and the gateway removes a client-sent one everywhere else.
   */
  public static final String CLIENT_HEADER = "x-meshgate-client";

  public ApiKeyIr {
    clients = List.copyOf(clients);
  }

  /**
   * An {@code api-keys} block of a gateway: its name, where its keys are (read by the server, never
   * by the compiler) and where requests carry their key, in the order written.
   */
  public record ProviderIr(String name, CredentialSourceIr keys, List<KeySourceIr> from) {
    public ProviderIr {
      from = List.copyOf(from);
    }
  }

  /** {@code from header|query|cookie "name"}. */
  public record KeySourceIr(Kind kind, String name) {
    public enum Kind {
      HEADER,
      QUERY,
      COOKIE
    }
  }
}
