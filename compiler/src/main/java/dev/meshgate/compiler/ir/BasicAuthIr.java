package dev.meshgate.compiler.ir;

import java.util.List;

/**
 * basic auth (issue 12): what a route requires: a user name and password of {@code provider}'s
 * users file, of one of {@code users} (empty: any user of the provider). The user's name reaches
 * the backend in {@link ApiKeyIr#CLIENT_HEADER}, as an api-key client's does.
 */
public record BasicAuthIr(String provider, List<String> users) {
  public BasicAuthIr {
    users = List.copyOf(users);
  }

  /**
   * A {@code basic-auth} block of a gateway: its name and where its htpasswd users are (read by the
   * server; compiled output names the file or Secret, never what is in it).
   */
  public record ProviderIr(String name, CredentialSourceIr users) {}
}
