package dev.meshgate.compiler.lower;

import dev.meshgate.compiler.ast.CallDecl;
import dev.meshgate.compiler.ast.RuleDecl;
import dev.meshgate.compiler.ast.ServiceStmt;
import dev.meshgate.compiler.ir.MeshIr;
import dev.meshgate.compiler.ir.ServiceIr;
import dev.meshgate.compiler.ir.SidecarIr;
import dev.meshgate.compiler.ir.TracingIr;
import java.util.List;
import java.util.Optional;

/**
 * One service's own part of its sidecar's IR: its service, sidecar block, the rules and calls that
 * name it (in policy order), the mesh's settings and its tracing. The rest comes through {@link
 * SidecarReads}. Syntax trees and IR are immutable records, so two equal inputs lower to equal
 * sidecars; a file that was not parsed again gives the very same instances, which compare at once.
 */
record SidecarInputs(
    ServiceIr service,
    ServiceStmt.Sidecar decl,
    List<RuleDecl> rules,
    List<CallDecl> calls,
    MeshIr mesh,
    Optional<TracingIr> tracing) {

  String name() {
    return service.name();
  }

  SidecarIr lower(SidecarReads reads) {
    return TracingLowering.withTracing(SidecarLowering.sidecar(this, reads), tracing);
  }
}
