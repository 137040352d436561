package dev.meshgate.compiler.setting;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.ClusterStmt;
import dev.meshgate.compiler.ast.DurationLit;
import java.util.Collection;
import java.util.Optional;

/** What the checker offers a cluster setting's checks; implemented by the checker. */
public interface ClusterChecks {
  /** The service the setting is written on. */
  String service();

  /** The service's protocol as written ({@code http} when none is). */
  String protocol();

  void duration(DurationLit duration);

  /** The first statement of a kind on the same service (the one that counts when repeated). */
  <T extends ClusterStmt> Optional<T> first(Class<T> kind);

  /** The tail of an unknown-field message: {@code did you mean "x"?}, or the known fields. */
  String hint(String name, Collection<String> known);

  /** "line 3" or "other.mesh:3": where an earlier construct is, for a message. */
  String at(Span span);

  void error(String code, Span span, String message);

  void warning(String code, Span span, String message);
}
