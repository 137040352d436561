package dev.meshgate.cli;

import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.xds.identity.CertificateAuthority;
import dev.meshgate.xds.identity.ProxyCredentials;
import dev.meshgate.xds.identity.XdsClientTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The CA directory as the CLI uses it: a problem with it is a one-line {@link UserError}. */
final class Credentials {
  /**
   * Environment variable naming the CA directory, read by every command with {@code --ca-dir}, so
   * that {@code serve} and {@code bootstrap} run from different directories still agree.
   */
  static final String CA_DIR_VARIABLE = "MESHGATE_CA_DIR";

  /** {@code --ca-dir}'s default, the same for every command (picocli resolves the variable). */
  static final String CA_DIR_DEFAULT = "${env:" + CA_DIR_VARIABLE + ":-.meshgate/ca}";

  private Credentials() {}

  /** The CA in {@code caDir}, generated there when the directory has none. */
  static CertificateAuthority ca(Path caDir) {
    try {
      return CertificateAuthority.loadOrCreate(caDir);
    } catch (IOException e) {
      throw UserError.failure("cannot use the CA in " + caDir + ": " + e.getMessage());
    } catch (RuntimeException e) {
      throw UserError.failure("cannot use the CA in " + caDir + ": " + e);
    }
  }

  /**
   * The CA that {@code meshgate serve} made or was given in {@code caDir}; never creates one, since
   * credentials from a second CA would fail TLS against the server forever.
   */
  static CertificateAuthority existing(Path caDir) {
    boolean hasCert = Files.exists(caDir.resolve(CertificateAuthority.CERT_FILE));
    boolean hasKey = Files.exists(caDir.resolve(CertificateAuthority.KEY_FILE));
    if (!hasCert && !hasKey) {
      throw UserError.failure(
          "no CA in "
              + caDir.toAbsolutePath().normalize()
              + ": pass --ca-dir with the directory 'meshgate serve' uses (by default"
              + " .meshgate/ca in the directory it runs from, or $"
              + CA_DIR_VARIABLE
              + "), or create one first with 'meshgate ca init --ca-dir DIR'");
    }
    if (hasCert != hasKey) {
      throw UserError.failure(
          "cannot use the CA in "
              + caDir
              + ": it has "
              + (hasCert
                  ? CertificateAuthority.CERT_FILE + " but no " + CertificateAuthority.KEY_FILE
                  : CertificateAuthority.KEY_FILE + " but no " + CertificateAuthority.CERT_FILE)
              + "; put both there, or pass --ca-dir with the directory 'meshgate serve' uses");
    }
    try {
      return CertificateAuthority.load(caDir);
    } catch (IOException e) {
      throw UserError.failure("cannot use the CA in " + caDir + ": " + e.getMessage());
    } catch (RuntimeException e) {
      throw UserError.failure("cannot use the CA in " + caDir + ": " + e);
    }
  }

  /** xDS client credentials of {@code group}, issued by {@code ca}. */
  static XdsClientTls issue(CertificateAuthority ca, ProxyGroup group) {
    return ProxyCredentials.issue(ca, group, ProxyCredentials.DEFAULT_TTL);
  }
}
