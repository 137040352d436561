package dev.meshgate.xds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run a {@link MeshgateServer}.
 *
 * @param policyPaths policy files and directories (searched recursively for {@code *.mesh}),
 *     watched for changes
 * @param bindAddress the address the xDS server binds, for example {@code 127.0.0.1}
 * @param xdsPort the gRPC xDS port; 0 picks a free one ({@link MeshgateServer#xdsPort()})
 * @param adminPort the admin HTTP port; 0 picks a free one ({@link MeshgateServer#adminPort()})
 * @param reloadDebounce zero (the default) reloads at the first file event, and once more after a
 *     reload if files changed while it ran; a positive time waits until the files stayed quiet that
 *     long (for writers that rewrite a file in place in several writes), though files that keep
 *     changing are reloaded at least once a second all the same
 * @param caDir the built-in CA's directory ({@code ca.crt}, {@code ca.key}); generated on first
 *     start when empty (see {@link dev.meshgate.xds.identity.CertificateAuthority})
 * @param certTtl how long workload certificates (served over SDS) are valid; each is replaced at
 *     half its life
 * @param insecureXds serve xDS in plaintext and accept every proxy (development only); by default
 *     xDS is mutual TLS and a proxy gets only the group its client certificate names
 * @param adminBindAddress the address the admin HTTP API binds: loopback by default, since it has
 *     no authentication (see docs/security.md before exposing it)
 * @param removalGuard when a reload that would remove too much is held (issue 9.2)
 * @param adminTokenFile a file holding the bearer token every admin page but /healthz then needs;
 *     required when {@code adminBindAddress} is not loopback (docs/operations.md)
 * @param rateLimitConfigDir where the rate-limit service's configuration is written for the served
 *     policy (global rate limits, issue 13), if anywhere
 */
public record ServerOptions(
    List<Path> policyPaths,
    String bindAddress,
    int xdsPort,
    int adminPort,
    Duration reloadDebounce,
    Path caDir,
    Duration certTtl,
    boolean insecureXds,
    String adminBindAddress,
    RemovalGuard removalGuard,
    Optional<Path> adminTokenFile,
    Optional<Path> rateLimitConfigDir) {

  /**
   * {@code --reload-debounce}'s default: none. A fixed wait was most of the time from a saved edit
   * to Envoy (issue 17.1); reloads now start at the first event and coalesce what arrives while one
   * runs ({@link ReloadTrigger}). A file rewritten in place in several writes may be read half
   * written for a moment: that policy fails to compile (the last good one stays), is held by the
   * {@link RemovalGuard} when it lost most routes, or is served until the reload that the rest of
   * the write triggers, milliseconds later. Editors and Kubernetes replace files atomically.
   */
  public static final Duration DEFAULT_DEBOUNCE = Duration.ZERO;

  /** {@code --ca-dir}'s default, relative to the working directory. */
  public static final Path DEFAULT_CA_DIR = Path.of(".meshgate", "ca");

  /** {@code --cert-ttl}'s default. */
  public static final Duration DEFAULT_CERT_TTL = Duration.ofHours(24);

  /** {@code --admin-bind}'s default: the admin API has no authentication. */
  public static final String DEFAULT_ADMIN_BIND = "127.0.0.1";

  /** Without a rate-limit service configuration directory (global rate limits, issue 13). */
  public ServerOptions(
      List<Path> policyPaths,
      String bindAddress,
      int xdsPort,
      int adminPort,
      Duration reloadDebounce,
      Path caDir,
      Duration certTtl,
      boolean insecureXds,
      String adminBindAddress,
      RemovalGuard removalGuard,
      Optional<Path> adminTokenFile) {
    this(
        policyPaths,
        bindAddress,
        xdsPort,
        adminPort,
        reloadDebounce,
        caDir,
        certTtl,
        insecureXds,
        adminBindAddress,
        removalGuard,
        adminTokenFile,
        Optional.empty());
  }

  /** Without an admin token. */
  public ServerOptions(
      List<Path> policyPaths,
      String bindAddress,
      int xdsPort,
      int adminPort,
      Duration reloadDebounce,
      Path caDir,
      Duration certTtl,
      boolean insecureXds,
      String adminBindAddress,
      RemovalGuard removalGuard) {
    this(
        policyPaths,
        bindAddress,
        xdsPort,
        adminPort,
        reloadDebounce,
        caDir,
        certTtl,
        insecureXds,
        adminBindAddress,
        removalGuard,
        Optional.empty());
  }

  /** With the admin API on loopback and the default {@link RemovalGuard}. */
  public ServerOptions(
      List<Path> policyPaths,
      String bindAddress,
      int xdsPort,
      int adminPort,
      Duration reloadDebounce,
      Path caDir,
      Duration certTtl,
      boolean insecureXds) {
    this(
        policyPaths,
        bindAddress,
        xdsPort,
        adminPort,
        reloadDebounce,
        caDir,
        certTtl,
        insecureXds,
        DEFAULT_ADMIN_BIND,
        RemovalGuard.DEFAULT);
  }

  public ServerOptions {
    policyPaths = List.copyOf(policyPaths);
    Objects.requireNonNull(adminBindAddress, "adminBindAddress");
    Objects.requireNonNull(removalGuard, "removalGuard");
    Objects.requireNonNull(adminTokenFile, "adminTokenFile");
    Objects.requireNonNull(rateLimitConfigDir, "rateLimitConfigDir");
    Objects.requireNonNull(bindAddress, "bindAddress");
    Objects.requireNonNull(reloadDebounce, "reloadDebounce");
    Objects.requireNonNull(caDir, "caDir");
    Objects.requireNonNull(certTtl, "certTtl");
    if (policyPaths.isEmpty()) {
      throw new IllegalArgumentException("no policy path given");
    }
    checkPort("xdsPort", xdsPort);
    checkPort("adminPort", adminPort);
    if (reloadDebounce.isNegative()) {
      throw new IllegalArgumentException("reloadDebounce must not be negative: " + reloadDebounce);
    }
    if (certTtl.compareTo(Duration.ofSeconds(2)) < 0) {
      throw new IllegalArgumentException("certTtl must be at least 2s: " + certTtl);
    }
  }

  /**
   * Loopback, free ports, the default debounce and certificate TTL, TLS xDS with a new CA in a
   * fresh temporary directory ({@link #caDir()} tells where, to issue proxy credentials from): what
   * tests and demos want. Use {@link #withCaDir} to keep a CA, {@link #withInsecureXds} for
   * plaintext.
   */
  public static ServerOptions loopback(List<Path> policyPaths) {
    try {
      return loopback(policyPaths, Files.createTempDirectory("meshgate-ca-"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary CA directory", e);
    }
  }

  /** As {@link #loopback(List)}, with the CA in {@code caDir}. */
  public static ServerOptions loopback(List<Path> policyPaths, Path caDir) {
    return new ServerOptions(
        policyPaths, "127.0.0.1", 0, 0, DEFAULT_DEBOUNCE, caDir, DEFAULT_CERT_TTL, false);
  }

  public ServerOptions withCaDir(Path dir) {
    return with(policyPaths, xdsPort, adminPort, reloadDebounce, dir, certTtl, insecureXds);
  }

  public ServerOptions withCertTtl(Duration ttl) {
    return with(policyPaths, xdsPort, adminPort, reloadDebounce, caDir, ttl, insecureXds);
  }

  public ServerOptions withInsecureXds(boolean insecure) {
    return with(policyPaths, xdsPort, adminPort, reloadDebounce, caDir, certTtl, insecure);
  }

  public ServerOptions withPorts(int xds, int admin) {
    return with(policyPaths, xds, admin, reloadDebounce, caDir, certTtl, insecureXds);
  }

  public ServerOptions withReloadDebounce(Duration debounce) {
    return with(policyPaths, xdsPort, adminPort, debounce, caDir, certTtl, insecureXds);
  }

  public ServerOptions withAdminBindAddress(String address) {
    return new ServerOptions(
        policyPaths,
        bindAddress,
        xdsPort,
        adminPort,
        reloadDebounce,
        caDir,
        certTtl,
        insecureXds,
        address,
        removalGuard,
        adminTokenFile,
        rateLimitConfigDir);
  }

  public ServerOptions withRemovalGuard(RemovalGuard guard) {
    return new ServerOptions(
        policyPaths,
        bindAddress,
        xdsPort,
        adminPort,
        reloadDebounce,
        caDir,
        certTtl,
        insecureXds,
        adminBindAddress,
        guard,
        adminTokenFile,
        rateLimitConfigDir);
  }

  /** Protects the admin API with the bearer token in {@code file}. */
  public ServerOptions withAdminTokenFile(Path file) {
    return new ServerOptions(
        policyPaths,
        bindAddress,
        xdsPort,
        adminPort,
        reloadDebounce,
        caDir,
        certTtl,
        insecureXds,
        adminBindAddress,
        removalGuard,
        Optional.of(file),
        rateLimitConfigDir);
  }

  /**
   * global rate limits (issue 13): writes the rate-limit service's configuration for the served
   * policy into {@code dir} on every successful load.
   */
  public ServerOptions withRateLimitConfigDir(Path dir) {
    return new ServerOptions(
        policyPaths,
        bindAddress,
        xdsPort,
        adminPort,
        reloadDebounce,
        caDir,
        certTtl,
        insecureXds,
        adminBindAddress,
        removalGuard,
        adminTokenFile,
        Optional.of(dir));
  }

  private ServerOptions with(
      List<Path> paths,
      int xds,
      int admin,
      Duration debounce,
      Path ca,
      Duration ttl,
      boolean insecure) {
    return new ServerOptions(
        paths,
        bindAddress,
        xds,
        admin,
        debounce,
        ca,
        ttl,
        insecure,
        adminBindAddress,
        removalGuard,
        adminTokenFile,
        rateLimitConfigDir);
  }

  private static void checkPort(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " must be 0..65535 (0 = any free port): " + port);
    }
  }
}
