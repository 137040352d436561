package dev.meshgate.compiler;

import dev.meshgate.compiler.ir.PolicyIr;
import dev.meshgate.compiler.simulate.PolicyTest;
import java.util.List;
import java.util.Optional;

/**
 * A policy that passed every check: its IR, the Envoy resources of each proxy group, and its {@code
 * test} blocks (never part of any proxy's configuration; {@code meshgate test} runs them with
 * {@link dev.meshgate.compiler.simulate.PolicySimulator}).
 */
public record CompiledPolicy(PolicyIr ir, List<ProxyResources> groups, List<PolicyTest> tests) {
  public CompiledPolicy {
    groups = List.copyOf(groups);
    tests = List.copyOf(tests);
  }

  /** A policy without test blocks. */
  public CompiledPolicy(PolicyIr ir, List<ProxyResources> groups) {
    this(ir, groups, List.of());
  }

  public Optional<ProxyResources> group(ProxyGroup group) {
    return groups.stream().filter(g -> g.group().equals(group)).findFirst();
  }
}
