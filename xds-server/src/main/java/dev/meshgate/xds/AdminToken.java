package dev.meshgate.xds;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The bearer token that protects the admin API ({@code --admin-token-file}): the file's content
 * without surrounding whitespace, read once at start. Compared in constant time, so the time an
 * answer takes says nothing about how much of a guess was right.
 */
final class AdminToken {
  /** Shorter tokens are guessable; {@code openssl rand -hex 32} gives 64 characters. */
  static final int MIN_LENGTH = 16;

  private final byte[] expected;

  private AdminToken(byte[] expected) {
    this.expected = expected;
  }

  static AdminToken of(String token) {
    String value = token.strip();
    if (value.length() < MIN_LENGTH) {
      throw new IllegalArgumentException(
          "the admin token must be at least "
              + MIN_LENGTH
              + " characters (try: openssl rand -hex 32 > FILE)");
    }
    if (value.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw new IllegalArgumentException(
          "the admin token must be printable ASCII without spaces (try: openssl rand -hex 32)");
    }
    return new AdminToken(("Bearer " + value).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when it holds no usable token
   */
  static AdminToken read(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IOException("cannot read the admin token file " + file + ": " + e, e);
    }
    try {
      return of(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--admin-token-file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Whether {@code authorization} (the header's value, maybe absent) carries the token. */
  boolean accepts(@org.jspecify.annotations.Nullable String authorization) {
    byte[] given =
        (authorization == null ? "" : authorization.strip()).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, given);
  }

  /**
   * Whether an admin API bound to {@code address} is reachable only from this host. A wildcard
   * ({@code 0.0.0.0}, {@code ::}) is not.
   */
  static boolean loopback(String address) {
    String host =
        address.startsWith("[") && address.endsWith("]")
            ? address.substring(1, address.length() - 1)
            : address;
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "AdminToken[redacted]";
  }

  /**
   * The admin token, when {@link ServerOptions#adminTokenFile()} names one.
   *
   * @throws IllegalArgumentException when the admin API would be reachable from other hosts without
   *     a token, or the file holds no usable token
   */
  static Optional<AdminToken> forServer(ServerOptions options) throws IOException {
    if (options.adminTokenFile().isPresent()) {
      return Optional.of(AdminToken.read(options.adminTokenFile().get()));
    }
    if (!loopback(options.adminBindAddress())) {
      throw new IllegalArgumentException(
          "the admin API on "
              + options.adminBindAddress()
              + " would be reachable from other hosts without authentication; give it a token"
              + " with --admin-token-file FILE (e.g. openssl rand -hex 32 > FILE), or keep"
              + " --admin-bind on loopback");
    }
    return Optional.empty();
  }
}
