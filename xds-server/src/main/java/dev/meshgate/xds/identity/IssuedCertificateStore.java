package dev.meshgate.xds.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workload certificates kept beside the CA ({@code <ca-dir>/issued/<name>.crt} and {@code .key},
 * the key mode 0600 in a 0700 directory), so a restarted server serves the certificates it issued
 * before instead of new ones: a restart pushes no new secret to any Envoy (issue 9.7). A stored
 * certificate is used only when this CA signed it, it names the asked identity, its key matches and
 * it is still valid; anything else is ignored and replaced.
 */
public final class IssuedCertificateStore {
  private static final Logger LOG = LoggerFactory.getLogger(IssuedCertificateStore.class);

  /** The directory under the CA directory. */
  public static final String DIRECTORY = "issued";

  private final Path dir;
  private final CertificateAuthority ca;

  public IssuedCertificateStore(Path caDir, CertificateAuthority ca) {
    this.dir = caDir.resolve(DIRECTORY);
    this.ca = ca;
  }

  /** The stored certificate of {@code name} for {@code spiffeId}, if usable at {@code now}. */
  public Optional<IssuedCertificate> load(String name, String spiffeId, Instant now) {
    Path crt = dir.resolve(fileName(name) + ".crt");
    Path key = dir.resolve(fileName(name) + ".key");
    if (!Files.isRegularFile(crt) || !Files.isRegularFile(key)) {
      return Optional.empty();
    }
    try {
      List<X509Certificate> chain =
          Pem.parseCertificates(Files.readString(crt, StandardCharsets.US_ASCII), crt.toString());
      PrivateKey privateKey =
          Pem.parsePrivateKey(Files.readString(key, StandardCharsets.US_ASCII), key.toString());
      X509Certificate leaf = chain.getFirst();
      leaf.verify(ca.certificate().getPublicKey());
      leaf.checkValidity(java.util.Date.from(now));
      boolean names =
          leaf.getSubjectAlternativeNames() != null
              && leaf.getSubjectAlternativeNames().stream()
                  .anyMatch(san -> spiffeId.equals(san.get(1)));
      if (!names || !CertificateAuthority.matches(leaf.getPublicKey(), privateKey)) {
        return Optional.empty();
      }
      return Optional.of(new IssuedCertificate(chain, privateKey));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      LOG.info("not reusing the stored certificate of {}: {}", name, e.toString());
      return Optional.empty();
    }
  }

  /** Keeps {@code certificate} for {@code name}; a failure is logged, never thrown. */
  public void store(String name, IssuedCertificate certificate) {
    try {
      CaFiles.createPrivateDirectory(dir);
      // Key first: a certificate without its key is never taken for a usable pair.
      CaFiles.writeAtomically(dir.resolve(fileName(name) + ".key"), certificate.keyPem(), true);
      CaFiles.writeAtomically(dir.resolve(fileName(name) + ".crt"), certificate.chainPem(), false);
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "cannot keep the certificate of {} in {} (a restart will issue a new one): {}",
          name,
          dir,
          e.toString());
    }
  }

  /** {@code gateway:edge} → {@code gateway-edge}; anything but [A-Za-z0-9._-] becomes '_'. */
  static String fileName(String name) {
    return name.replace(':', '-').replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
