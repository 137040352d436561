package dev.meshgate.compiler;

import dev.meshgate.compiler.ir.PolicyIr;
import java.util.List;
import java.util.Optional;

/** A policy that passed every check: its IR and the Envoy resources of each proxy group. */
public record CompiledPolicy(PolicyIr ir, List<ProxyResources> groups) {
  public CompiledPolicy {
    groups = List.copyOf(groups);
  }

  public Optional<ProxyResources> group(ProxyGroup group) {
    return groups.stream().filter(g -> g.group().equals(group)).findFirst();
  }
}
