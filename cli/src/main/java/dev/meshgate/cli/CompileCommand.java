package dev.meshgate.cli;

import dev.meshgate.cli.bundle.Bundle;
import dev.meshgate.cli.bundle.BundleEntries;
import dev.meshgate.cli.bundle.BundleException;
import dev.meshgate.cli.bundle.Ed25519Keys;
import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.EnvoyOutput;
import dev.meshgate.compiler.ProxyResources;
import dev.meshgate.compiler.Source;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "compile",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Compile policy files to Envoy resources on disk, or to a bundle for serve --bundle.",
    description = {
      "Writes one --out-dir DIR/<role>-<name>.json per proxy group (listeners, routes, clusters), byte-identical"
          + " for the same input, and prints the paths written. Nothing else in DIR is touched.",
      "A policy with global rate limits also gets DIR/ratelimit/<gateway>.yaml: the configuration"
          + " of Envoy's rate-limit service (docs/traffic-limits.md).",
      "--bundle FILE writes a zip of the policy files (named relative to the PATH given) and a"
          + " manifest.json with their sha256, byte-identical for the same input; --sign-key adds an"
          + " Ed25519 signature (docs/deploy.md, \"Policy from a bundle\").",
      "Exit 1, writing nothing, when the policy has errors."
    })
final class CompileCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "PATH",
      description = "*.mesh files, or directories searched for them.")
  List<Path> paths;

  // -o/--out are kept as aliases of earlier releases; elsewhere -o is --output FILE, so they are
  // deprecated here (a note says so) and left out of the help.
  @Option(
      names = {"--out-dir", "--out", "-o"},
      paramLabel = "DIR",
      description = "Where to write (created if missing). -o and --out are deprecated aliases.")
  Path out;

  @Option(
      names = "--bundle",
      paramLabel = "FILE",
      description =
          "Write the policy files and a manifest of their sha256 to this zip, for 'meshgate serve"
              + " --bundle'. Certificate, key and JWKS files the policy names are not included.")
  Path bundle;

  @Option(
      names = "--sign-key",
      paramLabel = "KEY.pem",
      description =
          "Sign the bundle's manifest with this Ed25519 private key (PKCS#8 PEM, from 'openssl"
              + " genpkey -algorithm ed25519'); servers with --bundle-key then check it.")
  Path signKey;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    if (spec.commandLine().getParseResult().originalArgs().stream()
        .anyMatch(a ->
            a.equals("-o")
                || a.startsWith("-o") && !a.startsWith("--")
                || a.equals("--out")
                || a.startsWith("--out="))) {
      err.println(
          "meshgate: note: 'compile -o/--out' is deprecated (for other commands -o is a file);"
              + " write --out-dir DIR");
      err.flush();
    }
    if (signKey != null && bundle == null) {
      throw new UserError(ExitCode.USAGE, "--sign-key signs a bundle: give --bundle FILE too");
    }
    if (out == null && bundle == null) {
      throw new UserError(
          ExitCode.USAGE, "compile writes to --out-dir DIR or --bundle FILE: give one (or both)");
    }
    if (bundle != null && Policies.isStdin(paths)) {
      throw new UserError(ExitCode.USAGE, "a bundle holds policy files: give PATH, not '-'");
    }
    Optional<PrivateKey> key = Optional.empty();
    if (signKey != null) {
      try {
        key = Optional.of(Ed25519Keys.readPrivate(signKey));
      } catch (BundleException e) {
        throw new UserError(ExitCode.USAGE, "--sign-key: " + e.getMessage());
      }
    }
    SortedMap<String, byte[]> entries = new TreeMap<>();
    Policies.Compiled compiled = bundle == null ? Policies.compile(paths) : bundleCompile(entries);
    var compilation = compiled.compilation();
    if (compilation.hasErrors() || compilation.policy().isEmpty()) {
      Policies.report(
          err, compilation.diagnostics(), compiled.sources().size(), Colors.enabled(spec));
      return ExitCode.POLICY_ERRORS;
    }
    if (!compilation.diagnostics().isEmpty()) {
      // Warnings do not stop compilation, but they are still worth reading.
      Policies.report(
          err, compilation.diagnostics(), compiled.sources().size(), Colors.enabled(spec));
    }
    CompiledPolicy policy = compilation.policy().get();
    if (out != null) {
      createDirectory();
      for (ProxyResources group : policy.groups()) {
        Path file = out.resolve(group.group().fileStem() + ".json");
        write(file, EnvoyOutput.json(group).getBytes(StandardCharsets.UTF_8), true);
        stdout.println(file);
      }
      // global rate limits (issue 13): the rate-limit service's files, for its config directory
      for (var file : dev.meshgate.compiler.RateLimitServiceConfig.files(policy.ir()).entrySet()) {
        Path path = out.resolve("ratelimit").resolve(file.getKey());
        try {
          Files.createDirectories(path.getParent());
        } catch (IOException e) {
          throw UserError.failure(
              "cannot create directory " + path.getParent() + ": " + describe(e));
        }
        write(path, file.getValue().getBytes(StandardCharsets.UTF_8), true);
        stdout.println(path);
      }
    }
    if (bundle != null) {
      byte[] zip =
          Bundle.write(entries, VersionProvider.version(), BundleEntries.policySha256(policy), key);
      Path parent = bundle.toAbsolutePath().getParent();
      try {
        Files.createDirectories(parent);
      } catch (IOException e) {
        throw UserError.failure("cannot create directory " + parent + ": " + describe(e));
      }
      write(bundle, zip, false);
      stdout.println(bundle);
    }
    stdout.flush();
    return ExitCode.OK;
  }

  /**
   * Loads the policy files, names each by its path in the bundle (into {@code entries}) and
   * compiles them under those names: exactly what a server compiles from the bundle.
   */
  private Policies.Compiled bundleCompile(SortedMap<String, byte[]> entries) {
    List<Source> renamed = new ArrayList<>();
    java.util.Map<String, Path> from = new java.util.HashMap<>();
    for (Path path : paths) {
      for (Source source : Policies.load(List.of(path))) {
        Path file = Path.of(source.name());
        try {
          String name = BundleEntries.name(path, file);
          Path other = from.put(name, file);
          if (other != null && !other.equals(file)) {
            throw new BundleException(
                other + " and " + file + " would both be " + name + " in the bundle");
          }
          byte[] bytes = Files.readAllBytes(file);
          entries.put(name, bytes);
          renamed.add(Source.decode(name, bytes));
        } catch (BundleException e) {
          throw new UserError(ExitCode.USAGE, "compile --bundle: " + e.getMessage());
        } catch (IOException e) {
          throw UserError.failure("cannot read " + file + ": " + describe(e));
        }
      }
    }
    renamed.sort(java.util.Comparator.comparing(Source::name));
    return new Policies.Compiled(renamed, Compiler.compile(renamed));
  }

  private void createDirectory() {
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw UserError.failure("cannot create output directory " + out + ": " + describe(e));
    }
  }

  /** Writes through a temporary file and a rename, so a reader never sees half a file. */
  private static void write(Path file, byte[] content, boolean text) {
    byte[] bytes =
        text && (content.length == 0 || content[content.length - 1] != '\n')
            ? java.util.Arrays.copyOf(content, content.length + 1)
            : content;
    if (bytes != content) {
      bytes[bytes.length - 1] = '\n';
    }
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // Best effort: the write failure below is what matters.
        }
      }
      throw UserError.failure("cannot write " + file + ": " + describe(e));
    }
  }

  static String describe(IOException e) {
    return switch (e) {
      case java.nio.file.AccessDeniedException a -> "permission denied";
      case java.nio.file.NoSuchFileException n -> "no such file or directory";
      case java.nio.file.FileAlreadyExistsException f -> "a file is in the way: " + f.getFile();
      default -> String.valueOf(e.getMessage());
    };
  }
}
