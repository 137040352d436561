package dev.meshgate.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where a running server's admin API is, how to authenticate, and how to print its answers. */
final class AdminOptions {
  /** What the operator commands print: tables for people, or the server's JSON. */
  enum Output {
    text,
    json
  }

  @Option(
      names = "--server",
      paramLabel = "URL",
      defaultValue = "${env:MESHGATE_SERVER:-http://127.0.0.1:18001}",
      description =
          "The admin API of 'meshgate serve' (its --admin-port) (default: $MESHGATE_SERVER, else"
              + " http://127.0.0.1:18001).")
  String server;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      defaultValue = "${env:MESHGATE_TOKEN_FILE}",
      description =
          "A file with the admin token the server was given with --admin-token-file (default:"
              + " $MESHGATE_TOKEN_FILE). The token is sent as 'Authorization: Bearer' and never"
              + " printed.")
  Path tokenFile;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text (tables, the default) or json (the server's answer as it is).")
  Output output;

  AdminClient client() {
    return new AdminClient(server, Optional.ofNullable(tokenFile));
  }

  boolean json() {
    return output == Output.json;
  }
}
