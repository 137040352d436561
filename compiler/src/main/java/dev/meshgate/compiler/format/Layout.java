package dev.meshgate.compiler.format;

import dev.meshgate.compiler.ast.CallDecl;
import dev.meshgate.compiler.ast.Decl;
import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.MeshDecl;
import dev.meshgate.compiler.ast.MeshStmt;
import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.RouteAuth;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.RuleDecl;
import dev.meshgate.compiler.ast.ServiceDecl;
import dev.meshgate.compiler.ast.ServiceStmt;
import dev.meshgate.compiler.ast.TestDecl;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Syntax tree → printable items: every statement becomes one line of canonical text, every block a
 * header with children. Where the tree keeps a value's text as written (numbers, durations, names,
 * paths) that text is printed, so the reprinted file parses to the same tree.
 */
final class Layout {

  /** One printed construct, at the position where it starts in the source. */
  sealed interface Item {
    Pos start();
  }

  /**
   * A statement printed on one line. {@code wrap} are trailing parts that go on continuation lines,
   * one level deeper, when the whole line would be too wide (an {@code expect}'s checks).
   */
  record Line(Pos start, String text, List<String> wrap) implements Item {
    Line {
      wrap = List.copyOf(wrap);
    }

    Line(Pos start, String text) {
      this(start, text, List.of());
    }

    String oneLine() {
      return wrap.isEmpty() ? text : text + " " + String.join(" ", wrap);
    }
  }

  /** {@code HEADER {}}, children indented one level, {@code }} at {@code close}. */
  record Block(Pos start, String header, Pos close, List<Item> children, Kind kind)
      implements Item {
    enum Kind {
      PLAIN,
      /** A route: may print on one line when its body is one statement (see Printer). */
      ROUTE,
      /** A call: printed without braces when its body is empty. */
      CALL
    }
  }

  private final Braces braces;

  Layout(Braces braces) {
    this.braces = braces;
  }

  List<Item> items(List<Decl> decls) {
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < decls.size(); i++) {
      Optional<Pos> next =
          i + 1 < decls.size() ? Optional.of(Pos.of(decls.get(i + 1).span())) : Optional.empty();
      items.add(decl(decls.get(i), next));
    }
    return items;
  }

  private Item decl(Decl decl, Optional<Pos> nextDecl) {
    return switch (decl) {
      case ServiceDecl s ->
          block(
              s.span(),
              "service " + s.name().text(),
              s.body().stream().map(this::serviceStmt).toList(),
              Block.Kind.PLAIN);
      case GatewayDecl g ->
          block(
              g.span(),
              "gateway " + g.name().text(),
              g.body().stream().map(this::gatewayStmt).toList(),
              Block.Kind.PLAIN);
      case MeshDecl m ->
          block(
              m.span(),
              "mesh" + m.name().map(n -> " " + n.text()).orElse(""),
              m.body().stream().map(s -> (Item) new Line(Pos.of(s.span()), meshStmt(s))).toList(),
              Block.Kind.PLAIN);
      case RuleDecl r -> new Line(Pos.of(r.span()), rule(r));
      case CallDecl c -> call(c, nextDecl);
      case TestDecl t ->
          block(
              t.span(),
              "test " + quote(t.name().value()),
              t.expects().stream()
                  .map(e ->
                      (Item) new Line(Pos.of(e.span()), TestLayout.expect(e), TestLayout.checks(e)))
                  .toList(),
              Block.Kind.PLAIN);
    };
  }

  Block block(
      dev.meshgate.compiler.Span header, String text, List<Item> children, Block.Kind kind) {
    Pos start = Pos.of(header);
    Pos open =
        braces
            .openAfter(start)
            .orElseThrow(() -> new IllegalStateException("no block after " + start));
    return new Block(start, text, braces.closeOf(open), children, kind);
  }

  // ------------------------------------------------------------------ services

  private Item serviceStmt(ServiceStmt stmt) {
    Pos start = Pos.of(stmt.span());
    return switch (stmt) {
      case ServiceStmt.StaticSource s ->
          new Line(
              start,
              "source static "
                  + s.endpoints().stream().map(Layout::endpoint).collect(Collectors.joining(", ")));
      case ServiceStmt.ConsulSource c -> {
        StringBuilder sb = new StringBuilder("source consul ").append(quote(c.service().value()));
        c.datacenters().forEach(d -> sb.append(" datacenter ").append(quote(d.value())));
        c.tags().forEach(t -> sb.append(" tag ").append(quote(t.value())));
        yield new Line(start, sb.toString());
      }
      case ServiceStmt.KubernetesSource k ->
          new Line(
              start,
              "source kubernetes "
                  + quote(k.ref().value())
                  + k.port().map(p -> " port " + p.text()).orElse(""));
      case ServiceStmt.ProtocolStmt p -> new Line(start, "protocol " + p.protocol().text());
      case ServiceStmt.SubsetStmt s -> {
        String header =
            "subset "
                + s.name().text()
                + " where "
                + s.where().stream()
                    .map(l -> Labels.key(l.key()) + " = " + quote(l.value()))
                    .collect(Collectors.joining(" and "));
        // An empty body says no more than none.
        yield s.cluster().isEmpty()
            ? new Line(start, header)
            : block(s.span(), header, ClusterLayout.lines(s.cluster()), Block.Kind.PLAIN);
      }
      case ServiceStmt.Sidecar s ->
          block(
              s.span(),
              "sidecar",
              Stream.concat(
                      s.body().stream()
                          .map(st ->
                              (Item)
                                  new Line(
                                      Pos.of(st.span()),
                                      st.kind().keyword()
                                          + " "
                                          + st.address().map(GatewayStmt.Address::text).orElse("")
                                          + ":"
                                          + st.port().text())),
                      Stream.concat(
                          s.zones().stream().map(z -> (Item) new Line(Pos.of(z.span()), zone(z))),
                          s.accessLogs().stream().map(a -> AccessLogLayout.item(this, a))))
                  .sorted(Comparator.comparing(Item::start))
                  .toList(),
              Block.Kind.PLAIN);
      case ServiceStmt.ClusterSetting c -> new Line(start, ClusterLayout.clusterStmt(c.stmt()));
      case ServiceStmt.TracingSetting t -> tracing(t.tracing());
    };
  }

  /** tracing (issue 15): {@code tracing { collector "…" sample N% tag "…" from header "…" }}. */
  private Item tracing(dev.meshgate.compiler.ast.Tracing t) {
    return block(
        t.span(),
        "tracing",
        t.fields().stream()
            .map(f ->
                (Item)
                    new Line(
                        Pos.of(f.span()),
                        switch (f) {
                          case dev.meshgate.compiler.ast.Tracing.Field.Collector c ->
                              "collector " + quote(c.address().value());
                          case dev.meshgate.compiler.ast.Tracing.Field.Sample s ->
                              "sample " + s.percent().text() + "%";
                          case dev.meshgate.compiler.ast.Tracing.Field.Tag g ->
                              "tag "
                                  + quote(g.name().value())
                                  + " from header "
                                  + quote(g.header().value());
                        }))
            .toList(),
        Block.Kind.PLAIN);
  }

  private static String endpoint(ServiceStmt.Endpoint e) {
    String labels =
        e.labels().isEmpty()
            ? ""
            : " labels "
                + e.labels().stream()
                    .map(l -> Labels.key(l.key()) + "=" + Labels.value(l.value()))
                    .collect(Collectors.joining(" "));
    String hostname = e.hostname().map(h -> " hostname " + quote(h.value())).orElse("");
    return e.host() + ":" + e.port().text() + hostname + labels;
  }

  // ------------------------------------------------------------------ mesh, rules, calls

  private static String meshStmt(MeshStmt stmt) {
    return switch (stmt) {
      case MeshStmt.TrustDomain t -> "trust-domain " + quote(t.domain().value());
      case MeshStmt.Mtls m -> "mtls " + m.mode().text();
      case MeshStmt.AuthzDefault a -> "authz default " + a.value().text();
    };
  }

  private static String rule(RuleDecl r) {
    StringBuilder sb = new StringBuilder(r.effect().keyword());
    if (r.isDryRun()) {
      sb.append(" dry-run");
    }
    sb.append(' ').append(r.source().text()).append(" -> ").append(r.destination().text());
    r.methods().forEach(m -> sb.append(' ').append(m.text()));
    if (!r.paths().isEmpty()) {
      sb.append(' ')
          .append(
              r.paths().stream()
                  .map(RouteDecl.PathPattern.Literal::text)
                  .collect(Collectors.joining(", ")));
    }
    return sb.toString();
  }

  private Item call(CallDecl c, Optional<Pos> nextDecl) {
    Pos start = Pos.of(c.span());
    String header = "call " + c.caller().text() + " -> " + c.callee().text();
    // The body is optional: the first brace after the header is this call's only when it
    // comes before the next declaration.
    Optional<Pos> open = braces.openAfter(Pos.after(c.callee().span()));
    if (open.isEmpty() || nextDecl.map(n -> n.before(open.get())).orElse(false)) {
      return new Line(start, header);
    }
    List<Item> body =
        Stream.concat(
                c.body().stream().map(s -> (Item) new Line(Pos.of(s.span()), routeStmt(s))),
                ClusterLayout.lines(c.cluster()).stream())
            .sorted(Comparator.comparing(Item::start))
            .toList();
    return new Block(start, header, braces.closeOf(open.get()), body, Block.Kind.CALL);
  }

  // ------------------------------------------------------------------ gateways and routes

  private Item gatewayStmt(GatewayStmt stmt) {
    return switch (stmt) {
      case GatewayStmt.Listen l ->
          new Line(
              Pos.of(l.span()),
              "listen "
                  + l.address().map(GatewayStmt.Address::text).orElse("")
                  + ":"
                  + l.port().text()
                  + l.mode().map(TlsLayout::listenMode).orElse(""));
      case GatewayStmt.Certificate c -> new Line(Pos.of(c.span()), TlsLayout.certificate(c));
      case GatewayStmt.JwtProvider p ->
          block(
              p.span(),
              "jwt-provider " + quote(p.name().value()),
              p.fields().stream()
                  .map(f -> (Item) new Line(Pos.of(f.span()), JwtLayout.field(f)))
                  .toList(),
              Block.Kind.PLAIN);
      case GatewayStmt.ApiKeys k ->
          block(
              k.span(),
              "api-keys " + quote(k.name().value()),
              k.fields().stream()
                  .map(f -> (Item) new Line(Pos.of(f.span()), ApiKeyLayout.field(f)))
                  .toList(),
              Block.Kind.PLAIN);
      case GatewayStmt.OidcProvider p -> // oidc login (issue 12)
          block(
              p.span(),
              "oidc-provider " + quote(p.name().value()),
              p.fields().stream()
                  .map(f -> (Item) new Line(Pos.of(f.span()), OidcLayout.field(f)))
                  .toList(),
              Block.Kind.PLAIN);
      case GatewayStmt.BasicAuth b -> // basic auth (issue 12)
          block(
              b.span(),
              "basic-auth " + quote(b.name().value()),
              b.fields().stream()
                  .map(f -> (Item) new Line(Pos.of(f.span()), BasicAuthLayout.field(f)))
                  .toList(),
              Block.Kind.PLAIN);
      case GatewayStmt.Zone z -> new Line(Pos.of(z.span()), zone(z));
      case GatewayStmt.AccessLog a -> AccessLogLayout.item(this, a.spec());
      case GatewayStmt.Limit l -> new Line(Pos.of(l.span()), BoundaryLayout.limit(l));
      case GatewayStmt.TracingSetting t -> tracing(t.tracing());
      case GatewayStmt.RateLimitService r ->
          new Line(Pos.of(r.span()), RateLimitLayout.service(r)); // issue 13
      case GatewayStmt.ExtAuthz e ->
          block(
              e.span(),
              "ext-authz " + quote(e.name().value()),
              e.fields().stream()
                  .map(f -> (Item) new Line(Pos.of(f.span()), ExtAuthzLayout.field(f)))
                  .toList(),
              Block.Kind.PLAIN);
      case GatewayStmt.RouteSetting s -> new Line(Pos.of(s.span()), routeStmt(s.stmt()));
      case GatewayStmt.Host h ->
          block(
              h.span(),
              "host "
                  + h.domains().stream()
                      .map(d -> quote(d.value()))
                      .collect(Collectors.joining(", ")),
              Stream.concat(
                      h.settings().stream()
                          .map(s -> (Item) new Line(Pos.of(s.span()), routeStmt(s))),
                      h.routes().stream().map(this::route))
                  .sorted(Comparator.comparing(Item::start))
                  .toList(),
              Block.Kind.PLAIN);
    };
  }

  private static String zone(GatewayStmt.Zone z) {
    return "zone " + quote(z.zone().value());
  }

  private Item route(RouteDecl r) {
    StringBuilder header = new StringBuilder("route");
    String or = "";
    for (RouteDecl.Alternative a : r.alternatives()) {
      header.append(or);
      or = " or";
      a.methods().forEach(m -> header.append(' ').append(m.text()));
      header.append(' ').append(path(a.path()));
      if (!a.conditions().isEmpty()) {
        header
            .append(" when ")
            .append(
                a.conditions().stream()
                    .map(Layout::condition)
                    .collect(Collectors.joining(" and ")));
      }
    }
    List<Item> body =
        r.body().stream().map(s -> (Item) new Line(Pos.of(s.span()), routeStmt(s))).toList();
    return block(r.span(), header.toString(), body, Block.Kind.ROUTE);
  }

  private static String path(RouteDecl.PathPattern path) {
    return switch (path) {
      case RouteDecl.PathPattern.Literal l -> l.text();
      case RouteDecl.PathPattern.Regex r -> "~ " + quote(r.regex().value());
    };
  }

  private static String condition(RouteDecl.Condition c) {
    return c.kind().keyword()
        + " "
        + quote(
            c.kind() == RouteDecl.Condition.Kind.HEADER
                ? c.name().value().toLowerCase(java.util.Locale.ROOT)
                : c.name().value())
        + (c.regex() ? " ~ " : " = ")
        + quote(c.value().value());
  }

  private static String routeStmt(RouteStmt stmt) {
    return switch (stmt) {
      case RouteStmt.To to -> "to " + targets(to.targets());
      case RouteStmt.Rewrite r ->
          "rewrite prefix " + quote(r.from().value()) + " => " + quote(r.to().value());
      case RouteStmt.HostRewrite h -> "rewrite host " + quote(h.host().value());
      case RouteStmt.HostRewriteToEndpoint h -> "rewrite host to-endpoint";
      case RouteStmt.Timeout t -> "timeout " + t.duration().text();
      case RouteStmt.Retry r -> {
        StringBuilder sb = new StringBuilder("retry ").append(r.attempts().text());
        if (!r.on().isEmpty()) {
          sb.append(" on ")
              .append(r.on().stream().map(Name::text).collect(Collectors.joining(", ")));
        }
        r.perTry().ifPresent(d -> sb.append(" per-try ").append(d.text()));
        r.backoff().ifPresent(d -> sb.append(" backoff ").append(d.text()));
        r.backoffMax().ifPresent(d -> sb.append(" max ").append(d.text()));
        if (r.idempotent()) {
          sb.append(" idempotent");
        }
        yield sb.toString();
      }
      case RouteStmt.BackendTimeout t -> "backend-timeout " + t.duration().text();
      case RouteAuth a -> RouteAuthLayout.stmt(a); // issue 12
      case RouteStmt.Fault f -> fault(f);
      case RouteStmt.HeaderChange h ->
          h.keyword()
              + " "
              + direction(h.response())
              + " "
              + quote(h.name().value().toLowerCase(java.util.Locale.ROOT))
              + h.value().map(v -> " = " + quote(v.value())).orElse("");
      case RouteStmt.Redirect r ->
          "redirect " + r.status().text() + " " + quote(r.location().value());
      case RouteStmt.Respond r ->
          "respond " + r.status().text() + r.body().map(b -> " " + quote(b.value())).orElse("");
      case RouteStmt.Port p -> "port " + p.port().text();
      case RouteStmt.Cors c -> TlsLayout.cors(c);
      case RouteStmt.Mirror m -> "mirror " + targets(List.of(m.target()));
      case RouteStmt.ClusterSetting c -> ClusterLayout.clusterStmt(c.stmt());
      case RouteStmt.TraceSample t -> "trace sample " + t.percent().text() + "%";
      case RouteStmt.HashBy h ->
          "hash-by "
              + switch (h.kind()) {
                case HEADER -> "header " + quote(h.name().orElseThrow().value());
                case COOKIE ->
                    "cookie "
                        + quote(h.name().orElseThrow().value())
                        + h.ttl().map(t -> " ttl " + t.text()).orElse("");
                case SOURCE_IP -> "source-ip";
              };
      case RouteStmt.RedirectTo r -> RedirectLayout.redirect(r);
      case RouteStmt.PathRewrite r ->
          (r.wholePath() ? "rewrite path " : "rewrite prefix ") + quote(r.value().value());
      case RouteStmt.RateLimit r -> RateLimitLayout.rateLimit(r);
      case RouteStmt.Compress c -> BoundaryLayout.compress(c); // issue 13
      case RouteStmt.MaxRequestBody m ->
          "max-request-body " + m.size().map(s -> s.text()).orElse("none");
      case RouteStmt.ErrorResponse e -> BoundaryLayout.errorResponse(e); // issue 13
      case RouteStmt.GrpcJson g -> BoundaryLayout.grpcJson(g); // issue 13
      case RouteStmt.GrpcWeb g -> "grpc-web";
    };
  }

  private static String fault(RouteStmt.Fault f) {
    StringBuilder sb = new StringBuilder(f.keyword());
    f.delay().ifPresent(d -> sb.append(' ').append(d.text()));
    if (f.grpc()) {
      sb.append(" grpc");
    }
    f.status().ifPresent(n -> sb.append(' ').append(n.text()));
    f.percent().ifPresent(p -> sb.append(' ').append(p.text()).append('%'));
    f.header().ifPresent(h -> sb.append(" when header ").append(quote(h.value())));
    return sb.toString();
  }

  static String direction(boolean response) {
    return response ? "response-header" : "request-header";
  }

  static String targets(List<RouteStmt.Target> targets) {
    return targets.stream()
        .map(t -> t.cluster() + t.weight().map(w -> " " + w.text() + "%").orElse(""))
        .collect(Collectors.joining(", "));
  }

  // ------------------------------------------------------------------ values

  /**
   * A string value, quoted canonically: {@code "} is always escaped, a backslash only where it
   * would otherwise read as an escape (before {@code "} or {@code \}, or at the end). Other
   * backslashes stay single, so regexes read as written: {@code "^/v[0-9]+\.json$"}.
   */
  static String quote(String value) {
    StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"') {
        sb.append("\\\"");
      } else if (c == '\\') {
        boolean needsEscape =
            i + 1 == value.length() || value.charAt(i + 1) == '"' || value.charAt(i + 1) == '\\';
        sb.append(needsEscape ? "\\\\" : "\\");
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }
}
