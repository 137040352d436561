package dev.meshgate.xds;

import dev.meshgate.xds.identity.CertificateAuthority;
import dev.meshgate.xds.identity.IssuedCertificate;
import dev.meshgate.xds.identity.IssuedCertificateStore;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDS secrets of each group that has a workload identity: {@value #IDENTITY} (its certificate
 * chain and key, URI SAN = the SPIFFE ID) and {@value #TRUST_BUNDLE} (the CA roots). One
 * certificate per group, shared by the group's Envoys, replaced at half its life.
 *
 * <p>Confined to the publisher thread. Key material is never logged: only serials and dates.
 */
final class IdentitySecrets {
  private static final Logger LOG = LoggerFactory.getLogger(IdentitySecrets.class);

  static final String IDENTITY = "meshgate.identity";
  static final String TRUST_BUNDLE = "meshgate.trust-bundle";

  /**
   * A group's certificate and the secrets that serve it, built once per certificate: every snapshot
   * of the group until the next rotation shares them (no PEM encoding and hashing per publish).
   */
  private record Current(
      String spiffeId,
      IssuedCertificate certificate,
      Instant rotateAt,
      TypedResources<Secret> served) {}

  private Current current(String spiffeId, IssuedCertificate certificate, Instant rotateAt) {
    return new Current(
        spiffeId,
        certificate,
        rotateAt,
        TypedResources.of(List.of(identity(certificate), trustBundle)));
  }

  private final CertificateAuthority ca;
  private final Duration ttl;
  private final Clock clock;
  private final Map<String, Current> byGroup = new HashMap<>();

  /**
   * Groups whose certificate is replaced on the next {@link #secrets} call, whatever the clock
   * says.
   */
  private final Set<String> due = new HashSet<>();

  private final Secret trustBundle;

  /** Where issued certificates outlive the process, when they do. */
  private final Optional<IssuedCertificateStore> store;

  IdentitySecrets(CertificateAuthority ca, Duration ttl, Clock clock) {
    this(ca, ttl, clock, Optional.empty());
  }

  IdentitySecrets(
      CertificateAuthority ca, Duration ttl, Clock clock, Optional<IssuedCertificateStore> store) {
    this.store = store;
    this.ca = ca;
    this.ttl = ttl;
    this.clock = clock;
    this.trustBundle =
        Secret.newBuilder()
            .setName(TRUST_BUNDLE)
            .setValidationContext(
                CertificateValidationContext.newBuilder()
                    .setTrustedCa(DataSource.newBuilder().setInlineString(ca.trustBundlePem())))
            .build();
  }

  /**
   * The secrets of {@code group}: none without an identity; otherwise its current certificate,
   * issued now when it has none yet, its identity changed, or it is due for rotation.
   */
  TypedResources<Secret> secrets(String group, Optional<String> spiffeId) {
    if (spiffeId.isEmpty()) {
      byGroup.remove(group);
      return TypedResources.of(List.of());
    }
    Current current = byGroup.get(group);
    if (current == null) {
      current = stored(group, spiffeId.get()).orElse(null);
    }
    if (current == null
        || !current.spiffeId().equals(spiffeId.get())
        || due.remove(group)
        || !clock.instant().isBefore(current.rotateAt())) {
      current = issue(group, spiffeId.get(), current);
    }
    return current.served();
  }

  /** When {@code group}'s certificate is due for replacement, if it has one. */
  Optional<Instant> rotateAt(String group) {
    return Optional.ofNullable(byGroup.get(group)).map(Current::rotateAt);
  }

  /** Makes the next {@link #secrets} call for {@code group} issue a new certificate. */
  void rotate(String group) {
    if (byGroup.containsKey(group)) {
      due.add(group);
    }
  }

  /** Forgets the certificates of groups no longer in the policy. */
  void retain(Set<String> groups) {
    byGroup.keySet().retainAll(groups);
    due.retainAll(groups);
  }

  /** The certificate a previous run issued to {@code group}, if still good and not yet due. */
  private Optional<Current> stored(String group, String spiffeId) {
    Instant now = clock.instant();
    return store
        .flatMap(s -> s.load(group, spiffeId, now))
        .flatMap(certificate -> {
          Duration life = Duration.between(certificate.notBefore(), certificate.notAfter());
          Instant rotateAt = certificate.notBefore().plus(life.dividedBy(2));
          if (!now.isBefore(rotateAt)) {
            return Optional.empty();
          }
          LOG.info(
              "reusing {} certificate for {} from before the restart (serial {}, valid until {})",
              group,
              spiffeId,
              certificate.serialHex(),
              certificate.notAfter());
          Current current = current(spiffeId, certificate, rotateAt);
          byGroup.put(group, current);
          return Optional.of(current);
        });
  }

  private Current issue(String group, String spiffeId, Current previous) {
    IssuedCertificate certificate = ca.issueWorkload(spiffeId, ttl);
    store.ifPresent(s -> s.store(group, certificate));
    Instant issued = clock.instant();
    Duration life = Duration.between(issued, certificate.notAfter());
    Instant rotateAt = issued.plus(life.dividedBy(2));
    Current current = current(spiffeId, certificate, rotateAt);
    byGroup.put(group, current);
    if (previous == null) {
      LOG.info(
          "issued {} certificate for {} (serial {}, valid until {})",
          group,
          spiffeId,
          certificate.serialHex(),
          certificate.notAfter());
    } else {
      LOG.info(
          "rotated {} certificate for {} (serial {} -> {}, valid until {})",
          group,
          spiffeId,
          previous.certificate().serialHex(),
          certificate.serialHex(),
          certificate.notAfter());
    }
    return current;
  }

  private static Secret identity(IssuedCertificate certificate) {
    return Secret.newBuilder()
        .setName(IDENTITY)
        .setTlsCertificate(
            TlsCertificate.newBuilder()
                .setCertificateChain(
                    DataSource.newBuilder().setInlineString(certificate.chainPem()))
                .setPrivateKey(DataSource.newBuilder().setInlineString(certificate.keyPem())))
        .build();
  }
}
