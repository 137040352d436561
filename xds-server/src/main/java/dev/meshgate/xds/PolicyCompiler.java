package dev.meshgate.xds;

import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.PolicySources;
import dev.meshgate.compiler.Source;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** How the server reads and compiles policy: the compiler's public API, behind a seam for tests. */
interface PolicyCompiler {

  List<Source> load(List<Path> paths) throws IOException;

  Compilation compile(List<Source> sources);

  /** The real thing: {@link PolicySources#load} and {@link Compiler#compile}. */
  PolicyCompiler DEFAULT =
      new PolicyCompiler() {
        @Override
        public List<Source> load(List<Path> paths) throws IOException {
          return PolicySources.load(paths);
        }

        @Override
        public Compilation compile(List<Source> sources) {
          Compilation compilation = Compiler.compile(sources);
          // Translate here, inside the timed compile and on the reload thread, not later when
          // the publisher first asks for the groups.
          compilation.policy().ifPresent(CompiledPolicy::groups);
          return compilation;
        }
      };

  /**
   * Reads every {@code *.mesh} under each path (a directory: an unpacked bundle) and names each
   * file relative to that directory, as the bundle names it: diagnostics and the file references a
   * policy resolves (certificates, JWKS files) then read exactly as where the bundle was compiled.
   */
  PolicyCompiler ROOTED =
      new PolicyCompiler() {
        @Override
        public List<Source> load(List<Path> paths) throws IOException {
          List<Source> sources = new java.util.ArrayList<>();
          for (Path root : paths) {
            for (Source source : PolicySources.load(List.of(root))) {
              Path file = Path.of(source.name());
              String name = root.relativize(file).toString().replace('\\', '/');
              sources.add(Source.decode(name, java.nio.file.Files.readAllBytes(file)));
            }
          }
          // By name, as compile --bundle orders them: the same policy, declaration for declaration.
          sources.sort(java.util.Comparator.comparing(Source::name));
          return sources;
        }

        @Override
        public Compilation compile(List<Source> sources) {
          Compilation compilation = Compiler.compile(sources);
          // Translate here, inside the timed compile and on the reload thread, not later when
          // the publisher first asks for the groups.
          compilation.policy().ifPresent(CompiledPolicy::groups);
          return compilation;
        }
      };
}
