package dev.meshgate.compiler.lower;

import dev.meshgate.compiler.ast.PolicyFile;
import dev.meshgate.compiler.ast.ServiceDecl;
import dev.meshgate.compiler.ir.PolicyIr;
import dev.meshgate.compiler.ir.ServiceIr;
import dev.meshgate.compiler.ir.SidecarIr;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Lowers one policy after another, and hands back the previous lowering's {@link ServiceIr} and
 * {@link SidecarIr} (the very instances) wherever their inputs did not change (issue 17.1).
 *
 * <p>A service's IR is a function of its declaration; a sidecar's of its {@link SidecarInputs} and
 * of what it looked up through {@link SidecarReads}. An edit of one service in a mesh of a thousand
 * then lowers the sidecars it touches, not a thousand; and since an unchanged sidecar comes back as
 * the same instance, the translator's check that a group's IR is unchanged is a reference compare,
 * not a walk of two equal trees. The result is always what {@link Lowering#lower} gives.
 *
 * <p>It keeps only the latest lowering's entries, with the newer of two equal inputs (so an edit of
 * a file does not keep the syntax trees of its previous version alive). Thread-safe: lowerings are
 * serialised.
 */
public final class IncrementalLowering {
  private record LoweredService(ServiceDecl decl, ServiceIr ir) {}

  private record LoweredSidecar(SidecarInputs inputs, SidecarReads.Recorded reads, SidecarIr ir) {}

  private Map<String, LoweredService> services = Map.of();
  private Map<String, LoweredSidecar> sidecars = Map.of();
  private long reused;

  /** {@link Lowering#lower}, reusing the services and sidecars whose inputs are unchanged. */
  public synchronized PolicyIr lower(List<PolicyFile> files) {
    Map<String, LoweredService> nextServices = new HashMap<>();
    Map<String, LoweredSidecar> nextSidecars = new HashMap<>();
    PolicyIr ir =
        Lowering.lower(
            files,
            new Lowering.Memo() {
              @Override
              public ServiceIr service(ServiceDecl decl, Function<ServiceDecl, ServiceIr> fresh) {
                LoweredService before = services.get(decl.name().text());
                ServiceIr ir =
                    before != null && before.decl().equals(decl) ? before.ir() : fresh.apply(decl);
                nextServices.put(decl.name().text(), new LoweredService(decl, ir));
                return ir;
              }

              @Override
              public SidecarIr sidecar(SidecarInputs inputs, SidecarReads reads) {
                LoweredSidecar before = sidecars.get(inputs.name());
                LoweredSidecar now;
                if (before != null
                    && before.inputs().equals(inputs)
                    && reads.answersAsBefore(before.reads())) {
                  reused++;
                  now = new LoweredSidecar(inputs, before.reads(), before.ir());
                } else {
                  SidecarIr ir = inputs.lower(reads);
                  now = new LoweredSidecar(inputs, reads.recorded(), ir);
                }
                nextSidecars.put(inputs.name(), now);
                return now.ir();
              }
            });
    services = nextServices;
    sidecars = nextSidecars;
    return ir;
  }

  /** Sidecars handed back unchanged since this lowering was made (for tests and diagnosis). */
  public synchronized long reused() {
    return reused;
  }
}
