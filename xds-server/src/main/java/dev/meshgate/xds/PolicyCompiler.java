package dev.meshgate.xds;

import dev.meshgate.compiler.Compilation;
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
          return Compiler.compile(sources);
        }
      };
}
