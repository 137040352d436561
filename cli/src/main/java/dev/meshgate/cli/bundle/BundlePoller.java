package dev.meshgate.cli.bundle;

import dev.meshgate.xds.MeshgateServer.PolicyUpdate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code serve --bundle}: fetches the bundle, verifies it, unpacks each new one into a fresh
 * private directory and hands that directory to the server whole, which switches to it under its
 * reload lock. A bundle that cannot be fetched, does not verify or does not compile is logged,
 * shown in /status, and never served: the last good one keeps serving. Each distinct bundle is
 * tried once.
 */
public final class BundlePoller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BundlePoller.class);

  /** What the poller drives: the server, or a stand-in in tests. */
  public interface Target {
    /** Serve the policy under {@code root}, or keep the old one and say why. */
    PolicyUpdate replace(Path root);

    /** Record a bundle refused before compiling; the served policy stays. */
    void reject(String reason);
  }

  private final BundleSource source;
  private final Optional<PublicKey> key;
  private final Path workDir;
  private final ScheduledExecutorService scheduler;
  private int generation;
  private Path current;
  private Optional<String> lastSeen = Optional.empty();
  private Optional<String> lastFailure = Optional.empty();

  private BundlePoller(BundleSource source, Optional<PublicKey> key, Path workDir) {
    this.source = source;
    this.key = key;
    this.workDir = workDir;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "meshgate-bundle-poll");
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * Fetches, verifies and unpacks the first bundle into a new private temporary directory.
   *
   * @throws BundleException when it cannot be fetched or does not verify (nothing is left behind)
   */
  public static BundlePoller open(BundleSource source, Optional<PublicKey> key)
      throws BundleException {
    Path dir;
    try {
      dir = Files.createTempDirectory("meshgate-bundle-"); // owner-only on POSIX
    } catch (IOException e) {
      throw new BundleException(
          "cannot create a directory to unpack the bundle: " + e.getMessage());
    }
    BundlePoller poller = new BundlePoller(source, key, dir);
    try {
      BundleSource.Fetched fetched = source.fetch();
      if (!(fetched instanceof BundleSource.Bytes bytes)) {
        throw new BundleException("cannot fetch bundle " + source + ": nothing came back");
      }
      Bundle bundle = Bundle.read(bytes.bytes(), key);
      poller.current = poller.unpack(bundle);
      poller.lastSeen = Optional.of(bundle.sha256());
      warnIfCompiledDifferently(bundle, "bundle " + source);
      LOG.info(
          "bundle {} (sha256 {}, written by meshgate {}): {} policy file(s)",
          source,
          shortHash(bundle.sha256()),
          bundle.manifest().meshgateVersion(),
          bundle.files().size());
      return poller;
    } catch (IOException e) {
      poller.close();
      throw new BundleException("cannot unpack the bundle: " + e.getMessage());
    } catch (BundleException | RuntimeException e) {
      poller.close();
      throw e;
    }
  }

  /** The directory of the bundle being served (or, before the server started, to serve). */
  public synchronized Path current() {
    return current;
  }

  /** Polls every {@code period} from now on. */
  public void start(Target target, Duration period) {
    scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            poll(target);
          } catch (RuntimeException | Error e) {
            LOG.error("bundle poll failed unexpectedly; still serving the last good bundle", e);
          }
        },
        period.toMillis(),
        period.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** One poll: fetch, and if the bundle is new, verify, unpack and hand it over. */
  synchronized void poll(Target target) {
    byte[] bytes;
    try {
      if (!(source.fetch() instanceof BundleSource.Bytes fetched)) {
        return;
      }
      bytes = fetched.bytes();
    } catch (BundleException e) {
      lastSeen = Optional.empty(); // once it comes back, apply it again: that clears the error
      refuse(target, e.getMessage());
      return;
    }
    String sha = Sha256.hex(bytes);
    if (lastSeen.equals(Optional.of(sha))) {
      return;
    }
    lastSeen = Optional.of(sha);
    String name = "bundle " + source + " (sha256 " + shortHash(sha) + ")";
    Bundle bundle;
    Path next;
    try {
      bundle = Bundle.read(bytes, key);
      next = unpack(bundle);
    } catch (BundleException e) {
      refuse(target, name + " rejected: " + e.getMessage());
      return;
    } catch (IOException e) {
      refuse(target, name + " cannot be unpacked: " + e.getMessage());
      return;
    }
    lastFailure = Optional.empty();
    warnIfCompiledDifferently(bundle, name);
    PolicyUpdate update = target.replace(next);
    if (update.served()) {
      Path old = current;
      current = next;
      delete(old);
      LOG.atInfo()
          .addKeyValue("event", "bundle")
          .addKeyValue("version", update.policyVersion())
          .addKeyValue("bundle_sha256", sha)
          .addKeyValue("outcome", "ok")
          .log("{} served: policy version {}", name, update.policyVersion());
    } else {
      delete(next);
      LOG.atWarn()
          .addKeyValue("event", "bundle")
          .addKeyValue("version", update.policyVersion())
          .addKeyValue("bundle_sha256", sha)
          .addKeyValue("outcome", "refused")
          .log(
              "{} not served: {}; still serving version {}",
              name,
              update.reason().orElse("the policy was not accepted"),
              update.policyVersion());
    }
  }

  /**
   * CI recorded what it compiled (the manifest's policySha256); a server of another meshgate
   * release may compile the same files to other Envoy resources. Served all the same (it compiled
   * here), with a warning that it is not byte for byte what CI checked.
   */
  private static void warnIfCompiledDifferently(Bundle bundle, String name) {
    String recorded = bundle.manifest().policySha256();
    Optional<String> here = BundleEntries.compiledSha256(bundle);
    if (here.isPresent() && !here.get().equals(recorded)) {
      LOG.warn(
          "{} was compiled by meshgate {} to policy sha256 {}; this server compiles it to {}: what"
              + " it serves is not byte for byte what CI checked (run the same meshgate release in"
              + " CI and on the servers)",
          name,
          bundle.manifest().meshgateVersion(),
          shortHash(recorded),
          shortHash(here.get()));
    }
  }

  private void refuse(Target target, String reason) {
    if (lastFailure.equals(Optional.of(reason))) {
      return; // said already; /status still shows it
    }
    lastFailure = Optional.of(reason);
    target.reject(reason);
  }

  private Path unpack(Bundle bundle) throws IOException {
    Path dir = workDir.resolve("gen-" + (++generation));
    Files.createDirectory(dir);
    try {
      bundle.unpack(dir);
    } catch (IOException e) {
      delete(dir);
      throw e;
    }
    return dir;
  }

  static String shortHash(String sha) {
    return sha.substring(0, Math.min(12, sha.length()));
  }

  private static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.debug("cannot delete {}", dir, e);
    }
  }

  /** Stops polling and deletes the unpacked bundles. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    delete(workDir);
  }
}
