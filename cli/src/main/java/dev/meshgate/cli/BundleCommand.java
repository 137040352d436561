package dev.meshgate.cli;

import dev.meshgate.cli.bundle.Bundle;
import dev.meshgate.cli.bundle.BundleEntries;
import dev.meshgate.cli.bundle.BundleException;
import dev.meshgate.cli.bundle.BundleSource;
import dev.meshgate.cli.bundle.Ed25519Keys;
import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.Source;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "bundle",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Policy bundles: signing keys, and checking a bundle as a server would.",
    description = {
      "'meshgate compile --bundle' writes a bundle; 'meshgate serve --bundle' serves one"
          + " (docs/deploy.md, \"Policy from a bundle\")."
    },
    subcommands = {BundleCommand.Keygen.class, BundleCommand.Verify.class})
final class BundleCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCode.USAGE;
  }

  @Command(
      name = "keygen",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      header = "Create an Ed25519 key pair for signing bundles.",
      description = {
        "The same PEM files as 'openssl genpkey -algorithm ed25519' and 'openssl pkey -pubout'."
            + " Refuses (exit 3) to overwrite either file."
      })
  static final class Keygen implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--sign-key",
        required = true,
        paramLabel = "FILE",
        description =
            "Where to write the private key (mode 0600), for 'compile --bundle --sign-key': keep it"
                + " in CI's secret store.")
    Path signKey;

    @Option(
        names = "--bundle-key",
        required = true,
        paramLabel = "FILE",
        description = "Where to write the public key, for 'serve --bundle --bundle-key'.")
    Path bundleKey;

    @Override
    public Integer call() {
      for (Path file : List.of(signKey, bundleKey)) {
        if (Files.exists(file)) {
          throw UserError.failure(file + " exists already; not replacing a key");
        }
      }
      KeyPair keys;
      try {
        keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK since 15 has Ed25519", e);
      }
      PrivateFiles.write(signKey, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
      PrivateFiles.replace(
          bundleKey,
          bundleKey,
          pem("PUBLIC KEY", keys.getPublic().getEncoded()),
          java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "meshgate: wrote "
              + signKey
              + " (private: for compile --bundle --sign-key) and "
              + bundleKey
              + " (public: for serve --bundle-key)");
      err.flush();
      return ExitCode.OK;
    }

    private static String pem(String type, byte[] der) {
      return "-----BEGIN "
          + type
          + "-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
          + "\n-----END "
          + type
          + "-----\n";
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      header = "Check a bundle as 'serve --bundle' would: hashes, signature, and that it compiles.",
      description = {
        "Prints what the bundle holds. Exit 0 when a server would serve it, 1 when its policy has"
            + " errors, 3 when it cannot be fetched or does not verify."
      })
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE|URL", description = "The bundle: a file or an http(s) URL.")
    String where;

    @Option(
        names = "--bundle-key",
        paramLabel = "PUB.pem",
        description = "Require a valid signature by the private key of this public key.")
    Path bundleKey;

    @Override
    public Integer call() {
      Optional<PublicKey> key = Optional.empty();
      Bundle bundle;
      try {
        if (bundleKey != null) {
          key = Optional.of(Ed25519Keys.readPublic(bundleKey));
        }
      } catch (BundleException e) {
        throw new UserError(ExitCode.USAGE, "--bundle-key: " + e.getMessage());
      }
      try {
        BundleSource source = BundleSource.of(where);
        if (!(source.fetch() instanceof BundleSource.Bytes bytes)) {
          throw UserError.failure("cannot fetch bundle " + where + ": nothing came back");
        }
        bundle = Bundle.read(bytes.bytes(), key);
      } catch (BundleException e) {
        throw UserError.failure(e.getMessage());
      } catch (IllegalArgumentException e) {
        throw new UserError(ExitCode.USAGE, where + " is not a file or URL");
      }
      List<Source> sources = new ArrayList<>();
      bundle.files().forEach((name, b) -> sources.add(Source.decode(name, b)));
      sources.sort(Comparator.comparing(Source::name));
      Compilation compilation = Compiler.compile(sources);
      PrintWriter err = spec.commandLine().getErr();
      if (compilation.hasErrors() || compilation.policy().isEmpty()) {
        Policies.report(err, compilation.diagnostics(), sources.size(), Colors.enabled(spec));
        return ExitCode.POLICY_ERRORS;
      }
      String compiled = BundleEntries.policySha256(compilation.policy().get());
      PrintWriter out = spec.commandLine().getOut();
      out.println("bundle: " + where + " (sha256 " + bundle.sha256() + ")");
      out.println(
          "signature: "
              + (key.isPresent()
                  ? "valid, by --bundle-key " + bundleKey
                  : "not checked (no --bundle-key)"));
      out.println("written by: meshgate " + bundle.manifest().meshgateVersion());
      out.println(
          "policy sha256: "
              + bundle.manifest().policySha256()
              + (compiled.equals(bundle.manifest().policySha256())
                  ? " (this meshgate compiles the same)"
                  : " (this meshgate compiles " + compiled + ")"));
      bundle.files().keySet().forEach(name -> out.println("file: " + name));
      out.flush();
      return ExitCode.OK;
    }
  }
}
