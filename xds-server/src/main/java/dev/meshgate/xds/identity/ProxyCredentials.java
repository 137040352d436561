package dev.meshgate.xds.identity;

import dev.meshgate.compiler.ProxyGroup;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Issues the xDS client credentials of one proxy group, the one way the CLI's {@code bootstrap},
 * {@code serve --demo} and the tests do it:
 *
 * <pre>
 * XdsClientTls tls = ProxyCredentials.issue(Path.of(".meshgate/ca"), ProxyGroup.gateway("edge"));
 * </pre>
 *
 * The certificate's URI SAN is {@code urn:meshgate:proxy:<role>:<name>}; the server serves a stream
 * only the group its certificate names. It is valid for {@link #DEFAULT_TTL} and not rotated (it
 * lives in the Envoy's bootstrap file): issue a new bootstrap before it expires; to revoke every
 * one at once, replace the CA.
 */
public final class ProxyCredentials {
  /** How long an xDS client certificate is valid by default: one year. */
  public static final Duration DEFAULT_TTL = Duration.ofDays(365);

  private ProxyCredentials() {}

  /**
   * Credentials for {@code group} from the CA in {@code caDir}, which is generated there first when
   * the directory has none (as {@link CertificateAuthority#loadOrCreate} does).
   */
  public static XdsClientTls issue(Path caDir, ProxyGroup group) throws IOException {
    return issue(caDir, group, DEFAULT_TTL);
  }

  public static XdsClientTls issue(Path caDir, ProxyGroup group, Duration ttl) throws IOException {
    return issue(CertificateAuthority.loadOrCreate(caDir), group, ttl);
  }

  public static XdsClientTls issue(CertificateAuthority ca, ProxyGroup group, Duration ttl) {
    IssuedCertificate cert = ca.issueProxyClient(ProxyIdentity.uri(group), ttl);
    return new XdsClientTls(ca.trustBundlePem(), cert.chainPem(), cert.keyPem());
  }
}
