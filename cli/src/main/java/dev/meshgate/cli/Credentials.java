package dev.meshgate.cli;

import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.xds.identity.CertificateAuthority;
import dev.meshgate.xds.identity.ProxyCredentials;
import dev.meshgate.xds.identity.XdsClientTls;
import java.io.IOException;
import java.nio.file.Path;

/** The CA directory as the CLI uses it: a problem with it is a one-line {@link UserError}. */
final class Credentials {
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

  /** xDS client credentials of {@code group}, issued by {@code ca}. */
  static XdsClientTls issue(CertificateAuthority ca, ProxyGroup group) {
    return ProxyCredentials.issue(ca, group, ProxyCredentials.DEFAULT_TTL);
  }
}
