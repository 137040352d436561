package dev.meshgate.it;

import dev.meshgate.it.DiffPolicy.Action;
import dev.meshgate.it.DiffPolicy.Condition;
import dev.meshgate.it.DiffPolicy.HeaderChange;
import dev.meshgate.it.DiffPolicy.Host;
import dev.meshgate.it.DiffPolicy.Match;
import dev.meshgate.it.DiffPolicy.Path;
import dev.meshgate.it.DiffPolicy.Route;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Random gateway policies and requests for {@link SimulatorDifferentialIT}, from one seeded {@link
 * Random}. Names and values come from small vocabularies, so routes overlap, conditions collide
 * with header changes, and requests often match (most requests are built from a route of the
 * policy: one of its domains, a path its path matches, the headers and query its conditions want,
 * each sometimes spoiled).
 *
 * <p>Every policy it makes is valid (the test compiles each and treats a compile error as a
 * generator bug), except that routes may be shadowed or duplicated: the test silences those
 * findings (MG408, MG409, MG701) so that Envoy gets dead routes too.
 */
final class DiffGenerator {
  static final List<String> METHODS =
      List.of("GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS");
  private static final List<String> SEGMENTS = List.of("a", "b", "api", "v1");
  private static final List<String> DOMAINS =
      List.of("a.test", "b.test", "c.test", "*.w.test", "*.b.test", "*");

  /** Header names of conditions and changes; the test compares every x-g-* header. */
  static final List<String> HEADERS = List.of("x-g-a", "x-g-b", "x-g-c");

  private static final List<String> QUERIES = List.of("q", "r", "Q");
  private static final List<String> VALUES = List.of("1", "2", "on", "yes");

  /** Regex value conditions and values each matches. */
  private static final List<List<String>> VALUE_REGEXES =
      List.of(
          List.of("[0-9]+", "7", "42"),
          List.of("o.*", "on", "off"),
          List.of("(on|off)", "on", "off"),
          List.of(".*e.*", "yes", "e"));

  /** Regex path pieces after a literal segment, and strings each matches. */
  private static final List<List<String>> REGEX_PIECES =
      List.of(
          List.of("[0-9]+", "7", "123"),
          List.of("[a-z]{1,3}", "x", "abc"),
          List.of("(x|yy)", "x", "yy"),
          List.of(".*", "", "a/b", "v1"),
          List.of("[^/]+\\.json", "f.json", "a.b.json"));

  private final Random random;

  DiffGenerator(Random random) {
    this.random = random;
  }

  // ------------------------------------------------------------------ policies

  DiffPolicy policy() {
    List<String> domains = new ArrayList<>(DOMAINS);
    Collections.shuffle(domains, random);
    int hostCount = 1 + random.nextInt(3);
    List<Host> hosts = new ArrayList<>();
    for (int h = 0; h < hostCount && !domains.isEmpty(); h++) {
      int n = Math.min(domains.size(), chance(25) ? 2 : 1);
      List<String> mine = new ArrayList<>(domains.subList(0, n));
      domains.subList(0, n).clear();
      List<Route> routes = new ArrayList<>();
      int routeCount = 1 + random.nextInt(5);
      for (int r = 0; r < routeCount; r++) {
        routes.add(route());
      }
      hosts.add(new Host(mine, chance(20) ? changes(2) : List.of(), routes));
    }
    return new DiffPolicy(chance(15) ? changes(2) : List.of(), hosts);
  }

  private Route route() {
    int alternatives = chance(75) ? 1 : 2 + random.nextInt(2);
    List<Match> matches = new ArrayList<>();
    for (int i = 0; i < alternatives; i++) {
      matches.add(match());
    }
    int kind = random.nextInt(100);
    Action action;
    if (kind < 60) {
      action = to();
    } else if (kind < 78) {
      action = redirect();
    } else {
      action = respond();
    }
    Optional<String> from = Optional.empty();
    Optional<String> to = Optional.empty();
    Optional<String> host = Optional.empty();
    Optional<DiffPolicy.Abort> abort = Optional.empty();
    if (action instanceof Action.To) {
      if (chance(35)) {
        from = Optional.of(rewriteFrom(matches.getFirst().path()));
        // A rewrite that makes "//x" is fine for Envoy, but the JDK's server behind it reads
        // "//x/y" as authority x and path /y: "to" ends in "/" only when "from" does.
        to =
            Optional.of(
                from.get().endsWith("/")
                    ? pick(List.of("/", "/z/", "/z", "/a/", "/up/v2/"))
                    : pick(List.of("/z", "/up/v2", "/a")));
      }
      if (chance(15)) {
        host = Optional.of(pick(List.of("up.internal", "up.internal:8443")));
      }
      if (chance(8)) {
        abort =
            Optional.of(
                new DiffPolicy.Abort(
                    pick(List.of(503, 429, 500)),
                    chance(50) ? Optional.of("x-g-chaos") : Optional.empty()));
      }
    }
    return new Route(matches, action, from, to, host, chance(50) ? changes(3) : List.of(), abort);
  }

  private String rewriteFrom(Path path) {
    return switch (path) {
      case Path.Prefix p when !p.base().isEmpty() -> {
        int second = p.base().indexOf('/', 1);
        String first = second < 0 ? p.base() : p.base().substring(0, second);
        yield pick(List.of(p.base() + "/", p.base(), first + "/"));
      }
      case Path.Exact e -> e.path().substring(0, e.path().lastIndexOf('/') + 1);
      default -> pick(List.of("/", "/a/", "/api/"));
    };
  }

  private Match match() {
    List<String> methods = new ArrayList<>();
    if (chance(35)) {
      List<String> all = new ArrayList<>(METHODS);
      Collections.shuffle(all, random);
      methods.addAll(all.subList(0, 1 + random.nextInt(2)));
    }
    int conditions = chance(55) ? 0 : 1 + random.nextInt(2);
    List<Condition> cs = new ArrayList<>();
    Set<String> used = new LinkedHashSet<>();
    for (int i = 0; i < conditions; i++) {
      Condition c = condition();
      if (used.add((c.query() ? "q:" : "h:") + c.name())) {
        cs.add(c);
      }
    }
    return new Match(methods, path(), cs);
  }

  private Path path() {
    int kind = random.nextInt(100);
    if (kind < 35) {
      return new Path.Exact(segments(1 + random.nextInt(3)));
    }
    if (kind < 75) {
      return chance(10) ? new Path.Prefix("") : new Path.Prefix(segments(1 + random.nextInt(2)));
    }
    List<String> piece = pick(REGEX_PIECES);
    String lead = "/" + pick(SEGMENTS);
    boolean anchors = chance(50);
    String regex = (anchors ? "^" : "") + lead + "/" + piece.getFirst() + (anchors ? "$" : "");
    List<String> samples = new ArrayList<>();
    for (String s : piece.subList(1, piece.size())) {
      samples.add(lead + "/" + s);
    }
    return new Path.Regex(regex, samples);
  }

  private Condition condition() {
    boolean query = chance(35);
    String name = query ? pick(QUERIES) : pick(HEADERS);
    if (chance(40)) {
      List<String> re = pick(VALUE_REGEXES);
      return new Condition(query, name, true, re.getFirst(), re.subList(1, re.size()));
    }
    String v = pick(VALUES);
    return new Condition(query, name, false, v, List.of(v));
  }

  private Action to() {
    if (chance(55)) {
      return new Action.To(List.of(pick(DiffPolicy.CLUSTERS)), List.of());
    }
    List<String> clusters = new ArrayList<>(DiffPolicy.CLUSTERS);
    Collections.shuffle(clusters, random);
    int n = 2 + random.nextInt(2);
    clusters = clusters.subList(0, n);
    List<Integer> weights = new ArrayList<>();
    int mode = random.nextInt(100);
    if (mode < 5) {
      clusters.forEach(c -> weights.add(0));
    } else if (mode < 45) {
      int hot = random.nextInt(n);
      for (int i = 0; i < n; i++) {
        weights.add(i == hot ? 100 : 0);
      }
    } else {
      int left = 100;
      for (int i = 0; i < n - 1; i++) {
        int w = random.nextInt(left + 1);
        weights.add(w);
        left -= w;
      }
      weights.add(left);
    }
    return new Action.To(clusters, weights);
  }

  private Action redirect() {
    return new Action.Redirect(
        pick(List.of(301, 302, 303, 307, 308)),
        pick(
            List.of(
                "/new",
                "/new/x?y=1",
                "https://other.test/z",
                "http://other.test:8081/",
                "https://other.test")));
  }

  private Action respond() {
    int status = pick(List.of(200, 201, 204, 403, 404, 418, 451, 503));
    Optional<String> body =
        status == 204 || chance(30)
            ? Optional.empty()
            : Optional.of(pick(List.of("ok", "gone away")));
    return new Action.Respond(status, body);
  }

  private List<HeaderChange> changes(int max) {
    List<HeaderChange> changes = new ArrayList<>();
    Set<String> used = new LinkedHashSet<>();
    int n = 1 + random.nextInt(max);
    for (int i = 0; i < n; i++) {
      boolean request = chance(70);
      String name = pick(List.of("x-g-a", "x-g-b", "x-g-c", "x-g-set"));
      if (!used.add((request ? "req:" : "resp:") + name)) {
        continue;
      }
      String op = pick(List.of("set", "add", "remove"));
      changes.add(new HeaderChange(op, request, name, pick(List.of("s1", "s2"))));
    }
    return changes;
  }

  private String segments(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append('/').append(pick(SEGMENTS));
    }
    return sb.toString();
  }

  // ------------------------------------------------------------------ requests

  /** A request through gateway edge: most aimed at a route of {@code policy}. */
  DiffRequest request(DiffPolicy policy) {
    List<Host> hosts = policy.hosts();
    if (hosts.isEmpty() || chance(15)) {
      return randomRequest();
    }
    Host host = pick(hosts);
    if (host.routes().isEmpty()) {
      return randomRequest();
    }
    Route route = pick(host.routes());
    Match match = pick(route.alternatives());
    String method = match.methods().isEmpty() || chance(20) ? pick(METHODS) : pick(match.methods());
    String path = spoilPath(pathFor(match.path()));
    List<DiffRequest.Param> headers = new ArrayList<>();
    List<DiffRequest.Param> query = new ArrayList<>();
    for (Condition c : match.conditions()) {
      if (chance(80)) {
        String value = chance(85) ? pick(c.samples()) : pick(VALUES);
        String name = c.query() ? c.name() : c.name().toLowerCase(Locale.ROOT);
        (c.query() ? query : headers).add(new DiffRequest.Param(name, value));
      }
    }
    extras(headers, query);
    return new DiffRequest(method, hostFor(pick(host.domains())), path, headers, query);
  }

  private DiffRequest randomRequest() {
    List<DiffRequest.Param> headers = new ArrayList<>();
    List<DiffRequest.Param> query = new ArrayList<>();
    extras(headers, query);
    String host =
        pick(List.of("w.test", "nohost.test", "A.TEST", "b.test:9", "x.w.test", "probe.sim.test"));
    return new DiffRequest(
        pick(METHODS), host, spoilPath(segments(random.nextInt(4))), headers, query);
  }

  private void extras(List<DiffRequest.Param> headers, List<DiffRequest.Param> query) {
    for (String h : List.of("x-g-a", "x-g-b", "x-g-c", "x-g-set", "x-g-chaos")) {
      if (headers.stream().noneMatch(p -> p.name().equals(h)) && chance(15)) {
        headers.add(new DiffRequest.Param(h, pick(VALUES)));
      }
    }
    for (String q : QUERIES) {
      if (query.stream().noneMatch(p -> p.name().equals(q)) && chance(10)) {
        query.add(new DiffRequest.Param(q, pick(VALUES)));
      }
    }
  }

  private String hostFor(String domain) {
    String host =
        switch (domain) {
          case "*" -> pick(List.of("any.test", "c.test", "w.test"));
          case String d when d.startsWith("*.") ->
              pick(List.of("x", "y.z", "")) + (chance(90) ? d.substring(1) : d.substring(2));
          default -> domain;
        };
    if (host.startsWith(".")) {
      host = host.substring(1);
    }
    if (chance(10)) {
      host = host.toUpperCase(Locale.ROOT);
    }
    if (chance(15)) {
      host = host + ":8080";
    }
    return host;
  }

  private String pathFor(Path path) {
    return switch (path) {
      case Path.Exact e -> chance(10) ? e.path() + "/" : e.path();
      case Path.Prefix p -> {
        String full = p.base() + pick(List.of("", "/", "/x", "/x/y", "x", "/a/b.json"));
        yield full.startsWith("/") ? full : "/" + full;
      }
      case Path.Regex r -> chance(10) ? pick(r.samples()) + "z" : pick(r.samples());
    };
  }

  /** Now and then: merged slashes, dot segments, upper case (Envoy normalizes the first two). */
  private String spoilPath(String path) {
    String p = path.isEmpty() ? "/" : path;
    int kind = random.nextInt(100);
    if (kind < 4 && !p.equals("/")) {
      // Not "//": Envoy routes and forwards it as "//" (its slash merge keeps a leading and a
      // trailing slash), which the JDK's server behind Backend reads as an empty authority and
      // refuses, so the upstream path cannot be observed here; the simulator models it
      // (DifferentialFindingsTest).
      return "/" + p;
    }
    if (kind < 8) {
      return "/z/.." + p;
    }
    if (kind < 11) {
      return p.replaceFirst("/", "/./");
    }
    if (kind < 14) {
      return p.toUpperCase(Locale.ROOT);
    }
    return p;
  }

  private boolean chance(int percent) {
    return random.nextInt(100) < percent;
  }

  private <T> T pick(List<T> list) {
    return list.get(random.nextInt(list.size()));
  }
}
