package dev.meshgate.compiler.ir;

import java.util.List;

/** A service as declared: where its endpoints come from, what it speaks, its subsets. */
public record ServiceIr(
    String name, Protocol protocol, ServiceSource source, List<SubsetIr> subsets) {
  public ServiceIr {
    subsets = List.copyOf(subsets);
  }
}
