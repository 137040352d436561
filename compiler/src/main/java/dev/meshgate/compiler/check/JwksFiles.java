package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.JWT_INVALID_JWKS_FILE;
import static dev.meshgate.compiler.check.Codes.JWT_PRIVATE_KEY_IN_JWKS;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshgate.compiler.ast.StringLit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * jwt (issue 12): a {@code jwks file "…"} that can be read here is checked for what a gateway must
 * never hold: the private half of a key pair (whoever reads the gateway's disk could then mint
 * tokens it accepts). A file that cannot be read here is not an error: Envoy reads it on the
 * proxy's host, which need not be the one that compiles.
 */
final class JwksFiles {
  /** The private members of RSA, EC and OKP keys (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2). */
  private static final List<String> PRIVATE_MEMBERS = List.of("d", "p", "q", "dp", "dq", "qi");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final CheckContext cx;

  JwksFiles(CheckContext cx) {
    this.cx = cx;
  }

  void check(StringLit file) {
    Path path = resolve(file);
    String text;
    try {
      if (!Files.isRegularFile(path)) {
        return;
      }
      text = Files.readString(path);
    } catch (IOException | RuntimeException e) {
      return; // unreadable here; Envoy reports it on the proxy's host
    }
    JsonNode keys;
    try {
      keys = JSON.readTree(text).path("keys");
    } catch (JsonProcessingException e) {
      keys = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
    if (!keys.isArray()) {
      cx.error(
          JWT_INVALID_JWKS_FILE,
          file.span(),
          "jwks file \""
              + file.value()
              + "\" is not a JSON Web Key Set (a JSON object with a \"keys\" list), so Envoy"
              + " could verify no token with it");
      return;
    }
    int index = 0;
    for (JsonNode key : keys) {
      for (String member : PRIVATE_MEMBERS) {
        if (key.has(member)) {
          String kid = key.path("kid").asText("");
          cx.error(
              JWT_PRIVATE_KEY_IN_JWKS,
              file.span(),
              "jwks file \""
                  + file.value()
                  + "\" holds a private key ("
                  + (kid.isEmpty() ? "key " + index : "key \"" + kid + "\"")
                  + " has \""
                  + member
                  + "\"); a gateway verifies with public keys only, and anyone who reads this"
                  + " file could mint tokens it accepts: keep only the public members (kty, kid,"
                  + " n, e, or crv, x, y) in the file, and the private key with the token issuer");
          return;
        }
      }
      index++;
    }
  }

  /** As the lowering resolves it: relative to the policy file's directory. */
  private static Path resolve(StringLit written) {
    Path path = Path.of(written.value());
    if (path.isAbsolute()) {
      return path;
    }
    Path dir = Path.of(written.span().file()).getParent();
    return dir == null ? path : dir.resolve(path);
  }
}
