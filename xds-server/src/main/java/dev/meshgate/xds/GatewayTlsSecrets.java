package dev.meshgate.xds;

import dev.meshgate.compiler.GatewaySecret;
import dev.meshgate.xds.identity.CertificateAuthority;
import dev.meshgate.xds.identity.CertificatePair;
import dev.meshgate.xds.identity.IssuedCertificate;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS secrets of gateways (issue 12): certificates and keys read from the PEM files the policy
 * names (read again on every build, so a renewed file goes out over SDS with no restart),
 * certificates the built-in CA issues for development (replaced at half their life), and CA bundles
 * for client certificates.
 *
 * <p>Confined to the publisher thread. Key material never reaches a log line: only file paths,
 * secret names and serials. A file that cannot be read keeps its last good content in service; one
 * that never could be read is left out (Envoy then refuses handshakes on that certificate's names
 * and the log says which file is missing).
 */
final class GatewayTlsSecrets {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayTlsSecrets.class);

  private record Issued(List<String> names, IssuedCertificate certificate, Instant rotateAt) {}

  private final CertificateAuthority ca;
  private final Duration ttl;
  private final Clock clock;

  /** By group, then secret name. */
  private final Map<String, Map<String, Issued>> issued = new HashMap<>();

  /** Last content read from files, by group and secret name, and whether a read failed since. */
  private final Map<String, Map<String, Secret>> lastGood = new HashMap<>();

  private final Map<String, String> failing = new HashMap<>();

  private final OpaqueSecrets opaque = new OpaqueSecrets(System::getenv);

  GatewayTlsSecrets(CertificateAuthority ca, Duration ttl, Clock clock) {
    this.ca = ca;
    this.ttl = ttl;
    this.clock = clock;
  }

  /** The group's TLS secrets now, in the order given. */
  List<Secret> secrets(String group, List<GatewaySecret> wanted) {
    List<Secret> secrets = new ArrayList<>();
    Map<String, Issued> groupIssued = issued.computeIfAbsent(group, g -> new HashMap<>());
    groupIssued.keySet().retainAll(wanted.stream().map(GatewaySecret::name).toList());
    for (GatewaySecret secret : wanted) {
      switch (secret) {
        case GatewaySecret.IssuedCertificate i -> secrets.add(issued(group, groupIssued, i));
        case GatewaySecret.CertificateFiles f ->
            fromFiles(group, f.name(), () -> certificate(f)).ifPresent(secrets::add);
        case GatewaySecret.TrustedCaFile c ->
            fromFiles(group, c.name(), () -> trustedCa(c)).ifPresent(secrets::add);
        case GatewaySecret.ApiKeysFile k -> {} // not SDS: RouteCredentials puts them in routes
        case GatewaySecret.BasicAuthUsersFile u -> {} // likewise
        case GatewaySecret.ApiKeysKubernetesSecret k -> {} // likewise, from a Secret
        case GatewaySecret.BasicAuthUsersKubernetesSecret u -> {} // likewise
        case GatewaySecret.OpaqueSecret o -> // oidc login (issue 12)
            fromFiles(group, o.name(), () -> opaque.read(o)).ifPresent(secrets::add);
      }
    }
    return secrets;
  }

  /** When the earliest development certificate of the group is due for replacement. */
  Optional<Instant> rotateAt(String group) {
    return issued.getOrDefault(group, Map.of()).values().stream()
        .map(Issued::rotateAt)
        .min(Instant::compareTo);
  }

  /** Whether the group has secrets read from files (which the publisher re-reads). */
  static boolean readsFiles(List<GatewaySecret> secrets) {
    return secrets.stream().anyMatch(s -> !(s instanceof GatewaySecret.IssuedCertificate));
  }

  void retain(Set<String> groups) {
    issued.keySet().retainAll(groups);
    lastGood.keySet().retainAll(groups);
  }

  private Secret issued(
      String group, Map<String, Issued> groupIssued, GatewaySecret.IssuedCertificate wanted) {
    Issued current = groupIssued.get(wanted.name());
    Instant now = clock.instant();
    if (current == null
        || !current.names().equals(wanted.dnsNames())
        || !now.isBefore(current.rotateAt())) {
      IssuedCertificate certificate = ca.issueTlsServer(wanted.dnsNames(), ttl);
      Duration life = Duration.between(now, certificate.notAfter());
      current = new Issued(wanted.dnsNames(), certificate, now.plus(life.dividedBy(2)));
      groupIssued.put(wanted.name(), current);
      LOG.info(
          "issued development TLS certificate {} of {} for {} (serial {}, valid until {})",
          wanted.name(),
          group,
          wanted.dnsNames(),
          certificate.serialHex(),
          certificate.notAfter());
    }
    return Secret.newBuilder()
        .setName(wanted.name())
        .setTlsCertificate(
            TlsCertificate.newBuilder()
                .setCertificateChain(
                    DataSource.newBuilder().setInlineString(current.certificate().chainPem()))
                .setPrivateKey(
                    DataSource.newBuilder().setInlineString(current.certificate().keyPem())))
        .build();
  }

  private interface Reader {
    Secret read() throws IOException;
  }

  private Optional<Secret> fromFiles(String group, String name, Reader reader) {
    Map<String, Secret> good = lastGood.computeIfAbsent(group, g -> new HashMap<>());
    String key = group + " " + name;
    try {
      Secret secret = reader.read();
      Secret before = good.put(name, secret);
      if (failing.remove(key) != null || (before != null && !before.equals(secret))) {
        LOG.info("TLS secret {} of {} reloaded from its files", name, group);
      }
      return Optional.of(secret);
    } catch (IOException | IllegalArgumentException e) {
      String problem = e.getClass().getSimpleName() + ": " + e.getMessage();
      if (!problem.equals(failing.put(key, problem))) {
        LOG.warn(
            "TLS secret {} of {}: cannot read its files ({}); {}",
            name,
            group,
            problem,
            good.containsKey(name) ? "keeping the last good content" : "not served");
      }
      return Optional.ofNullable(good.get(name));
    }
  }

  private static Secret certificate(GatewaySecret.CertificateFiles files) throws IOException {
    String chain = pem(files.chainFile(), "CERTIFICATE");
    String key = pem(files.keyFile(), "PRIVATE KEY");
    CertificatePair.check(chain, key, files.chainFile());
    return Secret.newBuilder()
        .setName(files.name())
        .setTlsCertificate(
            TlsCertificate.newBuilder()
                .setCertificateChain(DataSource.newBuilder().setInlineString(chain))
                .setPrivateKey(DataSource.newBuilder().setInlineString(key)))
        .build();
  }

  private static Secret trustedCa(GatewaySecret.TrustedCaFile file) throws IOException {
    return Secret.newBuilder()
        .setName(file.name())
        .setValidationContext(
            CertificateValidationContext.newBuilder()
                .setTrustedCa(
                    DataSource.newBuilder().setInlineString(pem(file.caFile(), "CERTIFICATE"))))
        .build();
  }

  /** The file's text, if it holds a PEM block of the kind (a half-written file does not). */
  private static String pem(String file, String kind) throws IOException {
    String text = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
    if (!text.contains("-----BEGIN ") || !text.contains(kind + "-----")) {
      throw new IllegalArgumentException(file + " holds no PEM " + kind);
    }
    int end = text.lastIndexOf("-----END ");
    if (end < 0 || text.indexOf("-----", end + 9) < 0) {
      throw new IllegalArgumentException(file + " ends inside a PEM block");
    }
    return text;
  }
}
