package dev.meshgate.compiler.check;

import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.PolicyFile;
import dev.meshgate.compiler.ast.RuleDecl;
import dev.meshgate.compiler.ast.ServiceDecl;
import dev.meshgate.compiler.ast.ServiceStmt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the checks of every area share: the files, the declarations found so far (first of each
 * name), the mesh-wide settings, the file being checked, and the findings. One per check run; the
 * area classes ({@link ServiceChecks}, {@link GatewayChecks}, …) read and add to it in the order
 * {@link PolicyChecker} runs them.
 */
final class CheckContext {
  final List<PolicyFile> files;
  private final Map<String, Source> sources = new HashMap<>();
  private final Map<String, PolicyFile> filesByName = new HashMap<>();
  final List<Diagnostic> out = new ArrayList<>();

  /** First declaration of each service, in policy order. */
  final Map<String, ServiceDecl> services = new LinkedHashMap<>();

  final Map<String, Map<String, ServiceStmt.SubsetStmt>> subsets = new HashMap<>();

  /** The static endpoints of each service that has a static source (first declaration). */
  final Map<String, List<ServiceStmt.Endpoint>> staticEndpoints = new HashMap<>();

  /** The protocol each service's first declaration names, when it names one. */
  private final Map<String, String> protocols = new HashMap<>();

  /** First declaration of each gateway. */
  final Map<String, GatewayDecl> gateways = new LinkedHashMap<>();

  /** The sidecar of each service that has one (first block, first service declaration). */
  final Map<String, Sidecar> sidecars = new LinkedHashMap<>();

  /** The mesh-wide settings, from the first mesh block or the defaults. */
  boolean strictMtls = true;

  boolean defaultDeny = true;

  /**
   * The file being checked: "here" for {@link #at} and the source of unplaced findings. Each pass
   * sets it; until then, the first file (or an empty one when there are none).
   */
  PolicyFile current;

  /** A sidecar's addresses as written (absent when missing or broken). */
  record Sidecar(
      ServiceStmt.Sidecar block,
      Optional<ServiceStmt.SidecarStmt> inbound,
      Optional<ServiceStmt.SidecarStmt> app,
      Optional<ServiceStmt.SidecarStmt> outbound) {}

  /** A rule whose names all resolved, in policy order, with the file it is in. */
  record CheckedRule(RuleDecl rule, RuleCoverage.Scope scope, PolicyFile file) {}

  /** Stands for "the current file" before any pass has set one, when there are no files. */
  static final PolicyFile NO_FILE = new PolicyFile(new Source("", ""), List.of(), true);

  CheckContext(List<PolicyFile> files) {
    this.files = files;
    this.current = files.isEmpty() ? NO_FILE : files.get(0);
    for (PolicyFile f : files) {
      sources.put(f.source().name(), f.source());
      filesByName.putIfAbsent(f.source().name(), f);
    }
  }

  /** Records a service's first declaration and its protocol; false when it is a repeat. */
  ServiceDecl declare(ServiceDecl service) {
    ServiceDecl first = services.putIfAbsent(service.name().text(), service);
    if (first == null) {
      service.body().stream()
          .filter(ServiceStmt.ProtocolStmt.class::isInstance)
          .map(ServiceStmt.ProtocolStmt.class::cast)
          .findFirst()
          .ifPresent(p -> protocols.put(service.name().text(), p.protocol().text()));
    }
    return first;
  }

  /** The protocol the service's (first) declaration writes, {@code http} when none. */
  String protocol(String service) {
    return protocols.getOrDefault(service, "http");
  }

  /** True when the service's (first) declaration says {@code protocol tcp}. */
  boolean isTcp(String service) {
    return "tcp".equals(protocols.get(service));
  }

  /** The tail of an unknown-service message: a suggestion, or the services while they are few. */
  String knownServices(String name) {
    return NearestNames.hint(name, NearestNames.Kind.declared("services", services.keySet()));
  }

  /** The file a span is in (the current one when unknown). */
  PolicyFile fileOf(Span span) {
    return filesByName.getOrDefault(span.file(), current);
  }

  /**
   * Where an earlier construct is, for a message: "line 3" in the same file, "other.mesh:3" across
   * files. Uses the file being checked as "here".
   */
  String at(Span span) {
    return span.file().equals(current.source().name())
        ? "line " + span.line()
        : span.file() + ":" + span.line();
  }

  void error(String code, Span span, String message) {
    out.add(Diagnostic.error(code, span, sourceOf(span), message));
  }

  void warning(String code, Span span, String message) {
    out.add(Diagnostic.warning(code, span, sourceOf(span), message));
  }

  private Source sourceOf(Span span) {
    return sources.getOrDefault(span.file(), current.source());
  }
}
