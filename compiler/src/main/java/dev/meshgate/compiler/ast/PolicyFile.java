package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Source;
import java.util.List;

/**
 * One parsed file. {@code complete} is false when the file had syntax errors: the tree then lacks
 * whatever could not be parsed, so checks that report something <em>missing</em> (a route without
 * action, a service without source) stay quiet for it instead of piling on. {@code comments} are
 * every comment of the file in source order.
 */
public record PolicyFile(
    Source source, List<Decl> decls, boolean complete, List<Comment> comments) {
  public PolicyFile {
    decls = List.copyOf(decls);
    comments = List.copyOf(comments);
  }

  /** A file without comments (trees built in code, tests). */
  public PolicyFile(Source source, List<Decl> decls, boolean complete) {
    this(source, decls, complete, List.of());
  }
}
