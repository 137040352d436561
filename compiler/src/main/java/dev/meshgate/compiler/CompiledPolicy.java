package dev.meshgate.compiler;

import dev.meshgate.compiler.ir.PolicyIr;
import dev.meshgate.compiler.simulate.PolicyTest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A policy that passed every check: its IR, the Envoy resources of each proxy group, and its {@code
 * test} blocks (never part of any proxy's configuration; {@code meshgate test} runs them with
 * {@link dev.meshgate.compiler.simulate.PolicySimulator}).
 *
 * <p>The Envoy resources are translated from the IR the first time {@link #groups()} is asked for
 * (issue 17.4): {@code meshgate check} needs only the diagnostics and the IR, and translating loads
 * and initialises several hundred Envoy protobuf classes, the largest part of a short command's
 * start. Translation is deterministic, so when it runs changes nothing but the time. Equal like a
 * record: by IR, groups and tests.
 */
public final class CompiledPolicy {
  private final PolicyIr ir;
  private final List<PolicyTest> tests;
  private @Nullable Supplier<List<ProxyResources>> translate;
  private volatile @Nullable List<ProxyResources> groups;

  public CompiledPolicy(PolicyIr ir, List<ProxyResources> groups, List<PolicyTest> tests) {
    this.ir = Objects.requireNonNull(ir, "ir");
    this.groups = List.copyOf(groups);
    this.tests = List.copyOf(tests);
  }

  /** A policy without test blocks. */
  public CompiledPolicy(PolicyIr ir, List<ProxyResources> groups) {
    this(ir, groups, List.of());
  }

  /** A policy whose groups {@code translate} makes when they are first asked for. */
  static CompiledPolicy translatedOnDemand(
      PolicyIr ir, Supplier<List<ProxyResources>> translate, List<PolicyTest> tests) {
    return new CompiledPolicy(ir, translate, tests);
  }

  private CompiledPolicy(
      PolicyIr ir, Supplier<List<ProxyResources>> translate, List<PolicyTest> tests) {
    this.ir = Objects.requireNonNull(ir, "ir");
    this.translate = translate;
    this.tests = List.copyOf(tests);
  }

  public PolicyIr ir() {
    return ir;
  }

  /** The Envoy resources of each proxy group, translated on the first call. */
  public List<ProxyResources> groups() {
    List<ProxyResources> result = groups;
    if (result != null) {
      return result;
    }
    synchronized (this) {
      result = groups;
      if (result == null) {
        result = List.copyOf(Objects.requireNonNull(translate, "translate").get());
        groups = result;
        translate = null;
      }
      return result;
    }
  }

  public List<PolicyTest> tests() {
    return tests;
  }

  public Optional<ProxyResources> group(ProxyGroup group) {
    return groups().stream().filter(g -> g.group().equals(group)).findFirst();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CompiledPolicy other
        && ir.equals(other.ir)
        && groups().equals(other.groups())
        && tests.equals(other.tests);
  }

  @Override
  public int hashCode() {
    return Objects.hash(ir, groups(), tests);
  }

  @Override
  public String toString() {
    return "CompiledPolicy[ir=" + ir + ", groups=" + groups() + ", tests=" + tests + "]";
  }
}
