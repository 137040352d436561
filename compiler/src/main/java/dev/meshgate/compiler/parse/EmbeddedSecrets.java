package dev.meshgate.compiler.parse;

import java.util.regex.Pattern;

/**
 * Secrets pasted into a policy (issue 12): a PEM private key in a string. Policies live in git and
 * in CI logs; a key belongs in a file the server reads and serves only to the gateway that needs
 * it.
 */
final class EmbeddedSecrets {
  static final String MESSAGE =
      "a private key is pasted into the policy; policies are not secret (they live in git and CI"
          + " logs): put the key in a PEM file and name it, like `certificate \"api.example.com\""
          + " file \"api.pem\" key file \"api-key.pem\"`";

  private static final Pattern PEM_KEY = Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY");

  private EmbeddedSecrets() {}

  static boolean pasted(String stringToken) {
    return PEM_KEY.matcher(stringToken).find();
  }
}
