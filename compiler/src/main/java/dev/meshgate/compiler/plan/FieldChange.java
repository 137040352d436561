package dev.meshgate.compiler.plan;

import java.util.Objects;
import java.util.Optional;

/**
 * One difference inside a resource. {@code path} is a JSON path into the resource's canonical JSON
 * form (proto field names): {@code virtual_hosts[api.example].routes[3].route.timeout}. List
 * elements with a {@code name} are addressed by it ({@code [api.example]}), others by their 0-based
 * index (in the new resource, or in the old one for a removed element). Values are compact JSON
 * text: {@code "2s"}, {@code 3}, {@code {"prefix":"/"}}; absent on the side where the field or
 * element does not exist.
 */
public record FieldChange(
    String path, Change change, Optional<String> before, Optional<String> after) {
  public FieldChange {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(change, "change");
    Objects.requireNonNull(before, "before");
    Objects.requireNonNull(after, "after");
    if (change == Change.UNCHANGED) {
      throw new IllegalArgumentException("a field change cannot be UNCHANGED: " + path);
    }
  }
}
