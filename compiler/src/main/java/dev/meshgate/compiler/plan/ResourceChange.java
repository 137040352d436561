package dev.meshgate.compiler.plan;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A resource of one proxy group that is added, removed or changed. {@code before} and {@code after}
 * are the whole resource as compact canonical JSON (absent on the side it does not exist); {@code
 * fields} lists the field-level differences of a changed resource (empty for added and removed
 * ones).
 */
public record ResourceChange(
    ResourceKind kind,
    String name,
    Change change,
    List<FieldChange> fields,
    Optional<String> before,
    Optional<String> after) {
  public ResourceChange {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(change, "change");
    fields = List.copyOf(fields);
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
  }
}
