package dev.meshgate.benchmarks;

import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.discovery.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The realistic harness policy: a strict mTLS, default-deny mesh of {@code services} services with
 * sidecars, each allowed to and {@code call}ing {@code calls} others picked with a seeded random
 * (the same seed gives the same mesh), each call's timeout flipping per round; every service's
 * endpoints come from the harness catalog ({@code source consul}), {@code endpointsPerService}
 * each; gateway {@code edge} routes to the first ten services.
 */
record RealisticMesh(int services, int calls, int endpointsPerService, long seed) {
  /** Services the gateway routes to: an edge in front of a few, as meshes usually have. */
  private static final int ROUTED = 10;

  /** The first port of the catalog's endpoints; the churn's new ports count on from there. */
  static final int FIRST_ENDPOINT_PORT = 40000;

  static final int ENDPOINT_PORTS = 25000;

  /**
   * The mesh {@code --shape realistic} serves by default with {@code services} services: the
   * compiler benchmarks measure the very policy the harness pushes.
   */
  static RealisticMesh withDefaults(int services) {
    XdsLoadHarness.Shape.Realistic shape = XdsLoadHarness.Shape.Realistic.defaults();
    return new RealisticMesh(services, shape.calls(), shape.endpointsPerService(), shape.seed());
  }

  static String name(int service) {
    return "s" + service;
  }

  /** The services {@code service} calls, in order: always the same for the same seed. */
  List<Integer> callees(int service) {
    int count = Math.min(calls, services - 1);
    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + service);
    TreeSet<Integer> picked = new TreeSet<>();
    while (picked.size() < count) {
      int other = random.nextInt(services);
      if (other != service) {
        picked.add(other);
      }
    }
    return List.copyOf(picked);
  }

  /** The policy text of {@code round}: every call's timeout flips from round to round. */
  String text(int round) {
    return text(round, XdsLoadHarness.Edit.ALL);
  }

  /**
   * The policy text of {@code round} for {@code edit}: with {@link XdsLoadHarness.Edit#ALL} every
   * call's timeout flips from round to round; with {@link XdsLoadHarness.Edit#ONE} the calls of the
   * services before {@code round} (round r edits service r − 1) have a longer timeout.
   */
  String text(int round, XdsLoadHarness.Edit edit) {
    String timeout = edit == XdsLoadHarness.Edit.ONE || round % 2 == 0 ? "1s" : "2s";
    StringBuilder text = new StringBuilder(services * (200 + calls * 80));
    text.append(
        "mesh load {\n  trust-domain \"load.example\"\n  mtls strict\n  authz default deny\n}\n");
    for (int i = 0; i < services; i++) {
      text.append("service ")
          .append(name(i))
          .append(" {\n  source consul \"")
          .append(name(i))
          .append("\"\n  sidecar {\n    inbound 127.0.0.1:")
          .append(20000 + i)
          .append("\n    app 127.0.0.1:")
          .append(30000 + i)
          .append("\n  }\n}\n");
    }
    int routed = Math.min(ROUTED, services);
    text.append("gateway edge {\n  listen 127.0.0.1:10000\n  host \"api.example\" {\n");
    for (int i = 0; i < routed; i++) {
      text.append("    route /")
          .append(name(i))
          .append("/** {\n      to ")
          .append(name(i))
          .append("\n      timeout ")
          .append(timeout)
          .append("\n    }\n");
    }
    text.append("  }\n}\n");
    for (int i = 0; i < routed; i++) {
      text.append("allow edge -> ").append(name(i)).append('\n');
    }
    for (int i = 0; i < services; i++) {
      String callTimeout = edit == XdsLoadHarness.Edit.ONE && i < round ? "3s" : timeout;
      for (int callee : callees(i)) {
        text.append("allow ").append(name(i)).append(" -> ").append(name(callee)).append('\n');
        text.append("call ")
            .append(name(i))
            .append(" -> ")
            .append(name(callee))
            .append(" { timeout ")
            .append(callTimeout)
            .append(" }\n");
      }
    }
    return text.toString();
  }

  /**
   * The same policy as {@link #text(int, XdsLoadHarness.Edit)}, one file per service as teams keep
   * them ({@code sN.mesh}: the service, what it may call and its calls) and {@code mesh.mesh} (the
   * mesh block and the gateway): with {@link XdsLoadHarness.Edit#ONE} round r changes one file.
   */
  java.util.SortedMap<String, String> files(int round, XdsLoadHarness.Edit edit) {
    String[] parts = text(round, edit).split("\n(?=service |gateway |allow |call )");
    java.util.SortedMap<String, StringBuilder> files = new java.util.TreeMap<>();
    for (String part : parts) {
      String file = "mesh.mesh";
      if (part.startsWith("service ") || part.startsWith("allow s") || part.startsWith("call ")) {
        String name = part.substring(part.indexOf(' ') + 1).split("[ \n]", 2)[0];
        file = name + ".mesh";
      }
      files.computeIfAbsent(file, f -> new StringBuilder()).append(part).append('\n');
    }
    java.util.SortedMap<String, String> texts = new java.util.TreeMap<>();
    files.forEach((name, text) -> texts.put(name, text.toString()));
    return texts;
  }

  /** The group whose routes round {@code round}'s {@link XdsLoadHarness.Edit#ONE} edit changes. */
  static ProxyGroup editedGroup(int round) {
    return ProxyGroup.sidecar(name(round - 1));
  }

  /** The first endpoints of {@code service}: loopback ports, unique across the mesh. */
  List<Endpoint> endpoints(int service) {
    List<Endpoint> list = new ArrayList<>();
    for (int k = 0; k < endpointsPerService; k++) {
      list.add(Endpoint.of("127.0.0.1", port(service * endpointsPerService + k)));
    }
    return list;
  }

  /** The {@code n}th endpoint port ever handed out (the first ones, then the churn's). */
  static int port(long n) {
    return FIRST_ENDPOINT_PORT + (int) (n % ENDPOINT_PORTS);
  }
}
