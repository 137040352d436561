package dev.meshgate.cli;

import dev.meshgate.cli.bundle.BundleException;
import dev.meshgate.cli.bundle.BundlePoller;
import dev.meshgate.cli.bundle.BundleSource;
import dev.meshgate.cli.bundle.Ed25519Keys;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code serve --bundle FILE|URL [--bundle-key PUB.pem] [--bundle-poll 30s]}: policy from a bundle.
 */
final class BundleOptions {

  @Option(
      names = "--bundle",
      paramLabel = "FILE|URL",
      description =
          "Serve the policy in a bundle from 'meshgate compile --bundle' (a file or an http(s) URL)"
              + " instead of PATHs, and poll it for a new one: a bundle that cannot be fetched, does"
              + " not verify or does not compile is never served (docs/deploy.md).")
  String bundle;

  @Option(
      names = "--bundle-key",
      paramLabel = "PUB.pem",
      description =
          "Serve only bundles signed with the Ed25519 private key of this public key (PEM, from"
              + " 'openssl pkey -in KEY.pem -pubout').")
  Path bundleKey;

  @Option(
      names = "--bundle-poll",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = DurationOption.class,
      description = "How often --bundle is fetched again (default: ${DEFAULT-VALUE}).")
  java.time.Duration bundlePoll;

  java.time.Duration poll() {
    return bundlePoll;
  }

  /** PATHs or --bundle, and the --bundle options only with --bundle. */
  void check(CommandSpec spec, List<Path> paths, boolean demo) {
    if (bundle != null && !paths.isEmpty()) {
      throw new UserError(
          ExitCode.USAGE,
          "serve takes policy PATHs or --bundle FILE|URL, not both: the bundle holds the policy");
    }
    if (bundle == null && paths.isEmpty()) {
      throw new UserError(
          ExitCode.USAGE, "serve needs the policy: give PATH... or --bundle FILE|URL");
    }
    if (bundle == null) {
      String stray =
          spec.commandLine().getParseResult().hasMatchedOption("--bundle-key")
              ? "--bundle-key"
              : spec.commandLine().getParseResult().hasMatchedOption("--bundle-poll")
                  ? "--bundle-poll"
                  : null;
      if (stray != null) {
        throw new UserError(ExitCode.USAGE, stray + " goes with --bundle FILE|URL");
      }
    } else if (demo) {
      throw new UserError(ExitCode.USAGE, "--demo serves policy files, not --bundle");
    }
    if (bundlePoll.compareTo(java.time.Duration.ofSeconds(1)) < 0) {
      throw new UserError(
          ExitCode.USAGE,
          "--bundle-poll must be at least 1s, got "
              + dev.meshgate.compiler.Durations.format(bundlePoll));
    }
  }

  /** The poller with the first bundle fetched, verified and unpacked; empty without --bundle. */
  Optional<BundlePoller> open() {
    if (bundle == null) {
      return Optional.empty();
    }
    Optional<java.security.PublicKey> key = Optional.empty();
    BundleSource source;
    try {
      source = BundleSource.of(bundle);
    } catch (IllegalArgumentException e) {
      throw new UserError(ExitCode.USAGE, "--bundle " + bundle + " is not a file or URL");
    }
    try {
      if (bundleKey != null) {
        key = Optional.of(Ed25519Keys.readPublic(bundleKey));
      }
    } catch (BundleException e) {
      throw new UserError(ExitCode.USAGE, "--bundle-key: " + e.getMessage());
    }
    try {
      return Optional.of(BundlePoller.open(source, key));
    } catch (BundleException e) {
      throw UserError.failure("cannot serve --bundle: " + e.getMessage());
    }
  }
}
