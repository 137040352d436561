package dev.meshgate.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A generated gateway policy for {@link SimulatorDifferentialIT}, as data: hosts, routes, matches,
 * actions and header changes, so that the shrinker can drop parts of it and render the rest again.
 * The services (and so the clusters) are fixed, see {@link #render}.
 */
record DiffPolicy(List<HeaderChange> gatewayChanges, List<Host> hosts) {
  DiffPolicy {
    gatewayChanges = List.copyOf(gatewayChanges);
    hosts = List.copyOf(hosts);
  }

  /** Every cluster a route may send to: the services of {@link #render} and their subsets. */
  static final List<String> CLUSTERS = List.of("alpha", "beta", "beta.v1", "beta.v2", "gamma");

  /** The service part of the policy, with the backends' addresses. */
  static String services(String alpha, String betaV1, String betaV2, String gamma) {
    return "service alpha { source static "
        + alpha
        + " }\n"
        + "service beta {\n  source static "
        + betaV1
        + " labels version=v1, "
        + betaV2
        + " labels version=v2\n"
        + "  subset v1 where version = \"v1\"\n"
        + "  subset v2 where version = \"v2\"\n}\n"
        + "service gamma { source static "
        + gamma
        + " }\n";
  }

  /**
   * The policy text: {@code services}, then gateway {@code edge} on {@code listen} with the
   * generated hosts and one probe host ({@code probe.sim}) whose {@code /generation} answers {@code
   * generation} (so a test sees when Envoy serves this version), whose routes send to every cluster
   * (so the cluster set never changes between policies) and one of which injects a fault (so the
   * listener's filters never change). {@code ignores} adds a trailing {@code # meshgate:ignore} to
   * a rendered line (1-based) of the result.
   */
  String render(
      String services,
      String listen,
      long generation,
      Function<Integer, Optional<String>> ignores) {
    List<String> lines = new ArrayList<>(List.of(services.split("\n")));
    lines.add("gateway edge {");
    lines.add("  listen " + listen);
    gatewayChanges.forEach(c -> lines.add("  " + c.render()));
    lines.add("  host \"probe.sim\" {");
    lines.add("    route /generation { respond 200 \"" + generation + "\" }");
    // Keeps the fault filter in the listener whatever the generated routes do: a listener update
    // reaches new connections only, and the test's client reuses its connections.
    lines.add("    route /fault { to alpha  fault abort 503 when header \"x-probe-fault\" }");
    for (String cluster : CLUSTERS) {
      lines.add("    route /cluster/" + cluster + " { to " + cluster + " }");
    }
    lines.add("  }");
    for (Host host : hosts) {
      lines.add(
          "  host "
              + String.join(", ", host.domains().stream().map(d -> "\"" + d + "\"").toList())
              + " {");
      host.changes().forEach(c -> lines.add("    " + c.render()));
      host.routes().forEach(r -> lines.add("    " + r.render()));
      lines.add("  }");
    }
    lines.add("}");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      sb.append(lines.get(i));
      ignores.apply(i + 1).ifPresent(codes -> sb.append("  # meshgate:ignore ").append(codes));
      sb.append('\n');
    }
    return sb.toString();
  }

  DiffPolicy withHosts(List<Host> newHosts) {
    return new DiffPolicy(gatewayChanges, newHosts);
  }

  DiffPolicy withGatewayChanges(List<HeaderChange> changes) {
    return new DiffPolicy(changes, hosts);
  }

  /** {@code host "a.test", "*.w.test" { … }}. */
  record Host(List<String> domains, List<HeaderChange> changes, List<Route> routes) {
    Host {
      domains = List.copyOf(domains);
      changes = List.copyOf(changes);
      routes = List.copyOf(routes);
    }

    Host withRoutes(List<Route> r) {
      return new Host(domains, changes, r);
    }

    Host withChanges(List<HeaderChange> c) {
      return new Host(domains, c, routes);
    }

    Host withDomains(List<String> d) {
      return new Host(d, changes, routes);
    }
  }

  /** One route: its alternatives ({@code or}), its action and settings, on one line. */
  record Route(
      List<Match> alternatives,
      Action action,
      Optional<String> rewritePrefixFrom,
      Optional<String> rewritePrefixTo,
      Optional<String> rewriteHost,
      List<HeaderChange> changes,
      Optional<Abort> abort) {
    Route {
      alternatives = List.copyOf(alternatives);
      changes = List.copyOf(changes);
    }

    String render() {
      StringBuilder sb = new StringBuilder("route ");
      sb.append(String.join(" or ", alternatives.stream().map(Match::render).toList()));
      sb.append(" { ").append(action.render());
      if (rewritePrefixFrom.isPresent() && rewritePrefixTo.isPresent()) {
        sb.append("  rewrite prefix \"")
            .append(rewritePrefixFrom.get())
            .append("\" => \"")
            .append(rewritePrefixTo.get())
            .append('"');
      }
      rewriteHost.ifPresent(h -> sb.append("  rewrite host \"").append(h).append('"'));
      abort.ifPresent(a -> sb.append("  ").append(a.render()));
      changes.forEach(c -> sb.append("  ").append(c.render()));
      return sb.append(" }").toString();
    }

    Route withAlternatives(List<Match> a) {
      return new Route(a, action, rewritePrefixFrom, rewritePrefixTo, rewriteHost, changes, abort);
    }

    Route withChanges(List<HeaderChange> c) {
      return new Route(
          alternatives, action, rewritePrefixFrom, rewritePrefixTo, rewriteHost, c, abort);
    }

    Route withoutRewrites() {
      return new Route(
          alternatives,
          action,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          changes,
          abort);
    }

    Route withoutAbort() {
      return new Route(
          alternatives,
          action,
          rewritePrefixFrom,
          rewritePrefixTo,
          rewriteHost,
          changes,
          Optional.empty());
    }

    Route withAction(Action a) {
      return new Route(
          alternatives, a, rewritePrefixFrom, rewritePrefixTo, rewriteHost, changes, abort);
    }
  }

  /** {@code GET POST /a/** when header "x" = "1" and query "q" ~ "…"}. */
  record Match(List<String> methods, Path path, List<Condition> conditions) {
    Match {
      methods = List.copyOf(methods);
      conditions = List.copyOf(conditions);
    }

    String render() {
      StringBuilder sb = new StringBuilder();
      methods.forEach(m -> sb.append(m).append(' '));
      sb.append(path.render());
      for (int i = 0; i < conditions.size(); i++) {
        sb.append(i == 0 ? " when " : " and ").append(conditions.get(i).render());
      }
      return sb.toString();
    }

    Match withConditions(List<Condition> c) {
      return new Match(methods, path, c);
    }

    Match withMethods(List<String> m) {
      return new Match(m, path, conditions);
    }
  }

  /** A route path: exact, {@code /base/**} (or {@code /**}), or a regex with a matching sample. */
  sealed interface Path {
    String render();

    record Exact(String path) implements Path {
      @Override
      public String render() {
        return path;
      }
    }

    /** {@code base} without a trailing slash; "" is the catch-all {@code /**}. */
    record Prefix(String base) implements Path {
      @Override
      public String render() {
        return base + "/**";
      }
    }

    /** A regex and some paths it matches (requests use them). */
    record Regex(String regex, List<String> samples) implements Path {
      public Regex {
        samples = List.copyOf(samples);
      }

      @Override
      public String render() {
        return "~ \"" + regex + "\"";
      }
    }
  }

  /** {@code header "n" = "v"}, {@code query "n" ~ "re"}, with values that match it. */
  record Condition(boolean query, String name, boolean regex, String value, List<String> samples) {
    Condition {
      samples = List.copyOf(samples);
    }

    String render() {
      return (query ? "query" : "header")
          + " \""
          + name
          + "\" "
          + (regex ? "~" : "=")
          + " \""
          + value
          + "\"";
    }
  }

  /** What a route does. */
  sealed interface Action {
    String render();

    /** {@code to a 30%, b 70%}; a single target without weight when {@code weights} is false. */
    record To(List<String> clusters, List<Integer> weights) implements Action {
      public To {
        clusters = List.copyOf(clusters);
        weights = List.copyOf(weights);
      }

      @Override
      public String render() {
        if (weights.isEmpty()) {
          return "to " + clusters.getFirst();
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < clusters.size(); i++) {
          parts.add(clusters.get(i) + " " + weights.get(i) + "%");
        }
        return "to " + String.join(", ", parts);
      }
    }

    record Redirect(int status, String location) implements Action {
      @Override
      public String render() {
        return "redirect " + status + " \"" + location + "\"";
      }
    }

    record Respond(int status, Optional<String> body) implements Action {
      @Override
      public String render() {
        return "respond " + status + body.map(b -> " \"" + b + "\"").orElse("");
      }
    }
  }

  /** {@code fault abort 503 [when header "x"]}: every request (with the header) aborted. */
  record Abort(int status, Optional<String> header) {
    String render() {
      return "fault abort " + status + header.map(h -> " when header \"" + h + "\"").orElse("");
    }
  }

  /** {@code set|add|remove request-header|response-header "n" [= "v"]}. */
  record HeaderChange(String op, boolean request, String name, String value) {
    String render() {
      return op
          + (request ? " request-header \"" : " response-header \"")
          + name
          + "\""
          + (op.equals("remove") ? "" : " = \"" + value + "\"");
    }
  }
}
