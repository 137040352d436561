package dev.meshgate.benchmarks;

import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.Source;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The policies the benchmarks measure: the quick start example as it is in the repository, and
 * generated ones of a chosen size. Every generated policy compiles without errors ({@link
 * #compileOrFail}); {@code PoliciesTest} checks that, so a language change cannot silently turn a
 * benchmark into a measurement of the error path.
 */
public final class Policies {
  private Policies() {}

  /** The names {@link #named} knows, as the JMH {@code policy} parameter spells them. */
  public static final String QUICKSTART = "quickstart";

  /**
   * {@code quickstart}, {@code gateway-N} (N services, one gateway route each), {@code mesh-N} (N
   * services with sidecars, allow rules and calls, and a gateway route to each), {@code routes-N}
   * (one host of N routes of mixed shapes over 10 services), {@code hosts-HxR} (H hosts of R such
   * routes each) or {@code realistic-N} (the load harness's realistic mesh of N services, {@link
   * RealisticMesh} with the harness's defaults: each service calls 10 others).
   */
  public static Source named(String name) {
    if (name.equals(QUICKSTART)) {
      return quickstart();
    }
    if (name.startsWith("hosts-") && name.indexOf('x') > 0) {
      int x = name.indexOf('x');
      int hosts = Integer.parseInt(name.substring("hosts-".length(), x));
      int routes = Integer.parseInt(name.substring(x + 1));
      return new Source(name + ".mesh", routes(hosts, routes));
    }
    int dash = name.lastIndexOf('-');
    if (dash > 0) {
      int n = Integer.parseInt(name.substring(dash + 1));
      switch (name.substring(0, dash)) {
        case "gateway":
          return new Source(name + ".mesh", gateway(n));
        case "mesh":
          return new Source(name + ".mesh", mesh(n));
        case "routes":
          return new Source(name + ".mesh", routes(1, n));
        case "realistic":
          return new Source(name + ".mesh", RealisticMesh.withDefaults(n).text(0));
        default:
          break;
      }
    }
    throw new IllegalArgumentException("unknown benchmark policy: " + name);
  }

  /**
   * examples/quickstart/quickstart.mesh, found from -Dmeshgate.project.root or the working
   * directory up.
   */
  public static Source quickstart() {
    Path file = projectRoot().resolve("examples/quickstart/quickstart.mesh");
    try {
      return new Source("examples/quickstart/quickstart.mesh", Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path projectRoot() {
    String configured = System.getProperty("meshgate.project.root", "");
    if (!configured.isEmpty()) {
      return Path.of(configured);
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("examples/quickstart/quickstart.mesh"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "cannot find examples/quickstart: run from inside the project or set -Dmeshgate.project.root");
  }

  /** {@code n} static services and gateway {@code edge} with one host and one route to each. */
  public static String gateway(int n) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < n; i++) {
      text.append("service s")
          .append(i)
          .append(" { source static 127.0.0.1:")
          .append(10001 + i)
          .append(" }\n");
    }
    text.append("gateway edge {\n  listen :8080\n  host \"api.example\" {\n");
    for (int i = 0; i < n; i++) {
      text.append("    route /s").append(i).append("/** { to s").append(i).append(" }\n");
    }
    text.append("  }\n}\n");
    return text.toString();
  }

  /**
   * A strict mTLS mesh of {@code n} services in a ring: each has a sidecar, is called by the
   * previous one ({@code call}, allowed for {@code GET HEAD /api/**}), and is reachable from
   * gateway {@code edge} at {@code /sN/**} ({@code allow edge -> sN}).
   */
  public static String mesh(int n) {
    StringBuilder text = new StringBuilder();
    text.append(
        "mesh bench {\n  trust-domain \"bench.example\"\n  mtls strict\n  authz default deny\n}\n");
    for (int i = 0; i < n; i++) {
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
    text.append("gateway edge {\n  listen :8080\n  host \"api.example\" {\n");
    for (int i = 0; i < n; i++) {
      text.append("    route /s").append(i).append("/** { to s").append(i).append(" }\n");
    }
    text.append("  }\n}\n");
    for (int i = 0; i < n; i++) {
      int caller = (i + n - 1) % n;
      text.append("allow edge -> s").append(i).append('\n');
      text.append("allow s").append(caller).append(" -> s").append(i).append(" GET HEAD /api/**\n");
      text.append("call s").append(caller).append(" -> s").append(i).append(" { timeout 1s }\n");
    }
    return text.toString();
  }

  /**
   * Gateway {@code edge} with {@code hosts} hosts of {@code routes} routes each, over 10 services:
   * the route analysis's workload (shadowing, partial overlaps), not the cluster count. Routes come
   * in groups of five under {@code /gN}, shaped like a real API: an exact path with a method, a
   * prefix with a header condition, a prefix with two methods, an exact path with a query
   * condition, and the group's catch-all prefix last (it covers the four before it, so it is
   * neither shadowed nor a partial overlap). No route of it is reported.
   */
  public static String routes(int hosts, int routes) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      text.append("service s").append(i).append(" { source static 127.0.0.1:").append(10001 + i);
      text.append(" }\n");
    }
    text.append("gateway edge {\n  listen :8080\n");
    for (int h = 0; h < hosts; h++) {
      text.append("  host \"h").append(h).append(".example\" {\n");
      for (int i = 0; i < routes; i++) {
        int g = i / 5;
        String to = " { to s" + (g % 10) + " }\n";
        text.append("    route ");
        switch (i % 5) {
          case 0 -> text.append("GET /g").append(g).append("/list");
          case 1 ->
              text.append("/g")
                  .append(g)
                  .append("/items/** when header \"tenant\" = \"t")
                  .append(g)
                  .append('"');
          case 2 -> text.append("POST PUT /g").append(g).append("/orders/**");
          case 3 -> text.append("/g").append(g).append("/v2 when query \"v\" = \"2\"");
          default -> text.append("/g").append(g).append("/**");
        }
        text.append(to);
      }
      text.append("  }\n");
    }
    text.append("}\n");
    return text.toString();
  }

  /** Compiles {@code sources}; throws with every error when the policy does not compile. */
  public static Compilation compileOrFail(List<Source> sources) {
    Compilation compilation = Compiler.compile(sources);
    if (compilation.hasErrors()) {
      throw new IllegalStateException(
          "benchmark policy does not compile:\n"
              + compilation.diagnostics().stream()
                  .filter(Diagnostic::isError)
                  .limit(20)
                  .map(Diagnostic::render)
                  .collect(Collectors.joining("\n")));
    }
    return compilation;
  }
}
