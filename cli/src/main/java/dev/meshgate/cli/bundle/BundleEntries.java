package dev.meshgate.cli.bundle;

import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.EnvoyOutput;
import dev.meshgate.compiler.ProxyResources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What {@code compile --bundle} puts in a bundle: the policy files' names and the policy's hash.
 */
public final class BundleEntries {
  private BundleEntries() {}

  /**
   * A policy file's path in the bundle, for a file found under the PATH {@code given}: relative to
   * it when it is a directory, the file's name when it is the file, with forward slashes. So the
   * bundle does not depend on where it was built; the server names the file the same way.
   *
   * @throws BundleException for a name a bundle cannot hold (a part starting with a dot)
   */
  public static String name(Path given, Path file) throws BundleException {
    Path relative =
        java.nio.file.Files.isDirectory(given)
            ? given.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize())
            : file.getFileName();
    String name = relative.toString().replace('\\', '/');
    Bundle.checkName(name);
    return name;
  }

  /**
   * sha256 of the compiled Envoy resources: each group's {@code compile --out-dir} file name, a
   * newline, and its content, in group order. The same policy compiled by the same meshgate gives
   * the same hash.
   */
  public static String policySha256(CompiledPolicy policy) {
    StringBuilder text = new StringBuilder();
    for (ProxyResources group : policy.groups()) {
      text.append(group.group().fileStem()).append(".json\n").append(EnvoyOutput.json(group));
      text.append('\n');
    }
    return Sha256.hex(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * What this meshgate compiles the bundle's policy to ({@link #policySha256}), when it compiles:
   * the same files under the same names, in the same order, as {@code compile --bundle} compiled.
   */
  public static java.util.Optional<String> compiledSha256(Bundle bundle) {
    java.util.List<dev.meshgate.compiler.Source> sources = new java.util.ArrayList<>();
    bundle
        .files()
        .forEach((name, bytes) -> sources.add(dev.meshgate.compiler.Source.decode(name, bytes)));
    sources.sort(java.util.Comparator.comparing(dev.meshgate.compiler.Source::name));
    dev.meshgate.compiler.Compilation compilation = dev.meshgate.compiler.Compiler.compile(sources);
    if (compilation.hasErrors()) {
      return java.util.Optional.empty();
    }
    return compilation.policy().map(BundleEntries::policySha256);
  }
}
