package dev.meshgate.benchmarks;

import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.compiler.Source;
import dev.meshgate.discovery.Endpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The harness policy. {@link XdsLoadHarness.Shape.Simple}: a strict mTLS mesh of {@code services}
 * services with sidecars, each calling {@code backend} (endpoints from the harness catalog) with a
 * timeout that alternates per round, and gateway {@code edge} routing to every service and to
 * {@code backend}. {@link XdsLoadHarness.Shape.Realistic}: the {@link RealisticMesh}.
 */
record HarnessPolicy(int services, XdsLoadHarness.Shape shape) {

  HarnessPolicy(int services) {
    this(services, new XdsLoadHarness.Shape.Simple());
  }

  /** The realistic mesh this policy is, if it is one. */
  Optional<RealisticMesh> realistic() {
    return switch (shape) {
      case XdsLoadHarness.Shape.Simple s -> Optional.empty();
      case XdsLoadHarness.Shape.Realistic r ->
          Optional.of(new RealisticMesh(services, r.calls(), r.endpointsPerService(), r.seed()));
    };
  }

  /**
   * The proxies round {@code round}'s edit changes the routes of: every proxy, but with {@link
   * XdsLoadHarness.Edit#ONE} only those of the group that edit touches.
   */
  Predicate<SimulatedEnvoy> editedProxies(int round) {
    return switch (shape) {
      case XdsLoadHarness.Shape.Realistic r when r.edit() == XdsLoadHarness.Edit.ONE -> {
        ProxyGroup edited = RealisticMesh.editedGroup(round);
        yield e -> e.group.equals(edited);
      }
      default -> e -> true;
    };
  }

  /** Gives the catalog every service's first endpoints. */
  void seed(HarnessEndpoints catalog) {
    realistic()
        .ifPresentOrElse(
            mesh -> {
              for (int i = 0; i < services; i++) {
                catalog.set(RealisticMesh.name(i), mesh.endpoints(i));
              }
            },
            () -> catalog.set("backend", backendEndpoints(2)));
  }

  /** The policy's proxy groups: gateway {@code edge}, then one sidecar group per service. */
  List<ProxyGroup> groups() {
    List<ProxyGroup> groups = new ArrayList<>();
    groups.add(ProxyGroup.gateway("edge"));
    for (int i = 0; i < services; i++) {
      groups.add(ProxyGroup.sidecar("s" + i));
    }
    return groups;
  }

  /** The policy text of {@code round}. */
  String text(int round) {
    return switch (shape) {
      case XdsLoadHarness.Shape.Simple s -> simpleText(round);
      case XdsLoadHarness.Shape.Realistic r -> realistic().orElseThrow().text(round, r.edit());
    };
  }

  private String simpleText(int round) {
    String timeout = round % 2 == 0 ? "1s" : "2s";
    StringBuilder text = new StringBuilder();
    text.append(
        "mesh load {\n  trust-domain \"load.example\"\n  mtls strict\n  authz default deny\n}\n");
    text.append("service backend {\n  source consul \"backend\"\n}\n");
    for (int i = 0; i < services; i++) {
      text.append("service s")
          .append(i)
          .append(" {\n")
          .append("  source static 127.0.0.1:")
          .append(20000 + i)
          .append('\n')
          .append("  sidecar {\n")
          .append("    inbound 127.0.0.1:")
          .append(20000 + i)
          .append('\n')
          .append("    app 127.0.0.1:")
          .append(30000 + i)
          .append('\n')
          .append("  }\n}\n");
    }
    text.append("gateway edge {\n  listen 127.0.0.1:10000\n  host \"api.example\" {\n");
    text.append("    route /backend/** {\n      to backend\n      timeout ")
        .append(timeout)
        .append("\n    }\n");
    for (int i = 0; i < services; i++) {
      text.append("    route /s").append(i).append("/** { to s").append(i).append(" }\n");
    }
    text.append("  }\n}\n");
    for (int i = 0; i < services; i++) {
      text.append("allow edge -> s").append(i).append('\n');
      text.append("call s")
          .append(i)
          .append(" -> backend { timeout ")
          .append(timeout)
          .append(" }\n");
    }
    return text.toString();
  }

  void checkCompiles(int round) {
    Policies.compileOrFail(List.of(new Source("load.mesh", text(round))));
  }

  /**
   * Replaces the policy file at once (written next door, then moved), so no reload sees half of it;
   * with a file per service, each file whose text differs from the previous round's.
   */
  void write(Path policyDir, Path work, int round) throws IOException {
    edit(policyDir, work, round).apply();
  }

  /**
   * {@link #write} of {@code round}, its texts made now: a timed edit starts its clock after this
   * (making and comparing the 609 KiB realistic policy twice is harness work, 10 ms or more, that
   * the server never sees) and before the returned change writes the files.
   */
  SimulatedFleet.Change edit(Path policyDir, Path work, int round) {
    Map<String, String> changed = new java.util.LinkedHashMap<>();
    if (shape instanceof XdsLoadHarness.Shape.Realistic r && r.filePerService()) {
      RealisticMesh mesh = realistic().orElseThrow();
      Map<String, String> previous = round == 0 ? Map.of() : mesh.files(round - 1, r.edit());
      for (var file : mesh.files(round, r.edit()).entrySet()) {
        if (!file.getValue().equals(previous.get(file.getKey()))) {
          changed.put(file.getKey(), file.getValue());
        }
      }
    } else {
      changed.put("load.mesh", text(round));
    }
    return () -> {
      for (var file : changed.entrySet()) {
        replace(policyDir, work, file.getKey(), file.getValue());
      }
    };
  }

  private static void replace(Path policyDir, Path work, String name, String text)
      throws IOException {
    Path tmp = work.resolve(name + ".tmp");
    Files.writeString(tmp, text);
    Files.move(
        tmp,
        policyDir.resolve(name),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /** {@code count} endpoints of {@code backend}, on loopback ports from 40000. */
  static List<Endpoint> backendEndpoints(int count) {
    List<Endpoint> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      list.add(Endpoint.of("127.0.0.1", 40000 + i));
    }
    return list;
  }
}
