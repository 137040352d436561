package dev.meshgate.compiler.ir;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Renders IR as YAML for people and golden files. Deterministic: keys in a fixed order, lists in IR
 * order, empty optionals left out, durations as written in policies ({@code 2s}, {@code 500ms},
 * {@code 1m}).
 */
public final class IrYaml {
  private static final YAMLMapper MAPPER =
      new YAMLMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              .build());

  private IrYaml() {}

  public static String render(PolicyIr policy) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("services", policy.services().stream().map(IrYaml::service).toList());
    root.put("gateways", policy.gateways().stream().map(IrYaml::gateway).toList());
    // Only policies that use the mesh get these keys, so mesh-free IR reads as before.
    policy
        .mesh()
        .ifPresent(mesh -> {
          Map<String, Object> m = new LinkedHashMap<>();
          mesh.name().ifPresent(n -> m.put("name", n));
          m.put("trust-domain", mesh.trustDomain());
          m.put("mtls", lower(mesh.mtls()));
          m.put("authz-default", lower(mesh.authzDefault()));
          root.put("mesh", m);
          root.put("sidecars", policy.sidecars().stream().map(IrYaml::sidecar).toList());
        });
    try {
      return MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("IR is plain data and always renders", e);
    }
  }

  /** {@code 2s}, {@code 500ms}, {@code 1m}: the largest unit that keeps an integer. */
  public static String duration(Duration d) {
    long ms = d.toMillis();
    if (ms != 0 && ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms != 0 && ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }

  private static Map<String, Object> service(ServiceIr s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", s.name());
    m.put("protocol", s.protocol().name().toLowerCase(Locale.ROOT));
    m.put("source", source(s.source()));
    m.put(
        "subsets",
        s.subsets().stream()
            .map(sub -> map("name", sub.name(), "selector", sub.selector()))
            .toList());
    return m;
  }

  private static Map<String, Object> source(ServiceSource source) {
    return switch (source) {
      case ServiceSource.Static st ->
          map(
              "static",
              st.endpoints().stream()
                  .map(e -> {
                    Map<String, Object> m = map("address", e.host() + ":" + e.port());
                    e.hostname().ifPresent(h -> m.put("hostname", h));
                    if (!e.labels().isEmpty()) {
                      m.put("labels", e.labels());
                    }
                    return m;
                  })
                  .toList());
      case ServiceSource.Consul c -> {
        Map<String, Object> consul = map("service", c.service());
        c.datacenter().ifPresent(dc -> consul.put("datacenter", dc));
        c.tag().ifPresent(tag -> consul.put("tag", tag));
        yield map("consul", consul);
      }
      case ServiceSource.Kubernetes k ->
          map("kubernetes", map("namespace", k.namespace(), "name", k.name(), "port", k.port()));
    };
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  private static Map<String, Object> sidecar(SidecarIr s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("service", s.service());
    m.put("identity", s.identity());
    m.put("protocol", lower(s.protocol()));
    m.put("inbound", s.inbound().toString());
    m.put("app", s.app().toString());
    m.put("outbound", s.outbound().toString());
    m.put("mtls", lower(s.mtls()));
    Map<String, Object> authz = new LinkedHashMap<>();
    authz.put("default", lower(s.authz().defaultAction()));
    authz.put("deny", s.authz().deny().stream().map(IrYaml::authzRule).toList());
    authz.put("shadow-deny", s.authz().shadowDeny().stream().map(IrYaml::authzRule).toList());
    authz.put("allow", s.authz().allow().stream().map(IrYaml::authzRule).toList());
    m.put("authz", authz);
    m.put("outbound-hosts", s.outboundHosts().stream().map(IrYaml::host).toList());
    if (!s.tcpOutbound().isEmpty()) {
      m.put(
          "outbound-tcp",
          s.tcpOutbound().stream()
              .map(t -> {
                Map<String, Object> tcp = new LinkedHashMap<>();
                tcp.put("callee", t.callee());
                tcp.put("listen", t.listen().toString());
                tcp.put("origin", t.origin());
                return (Object) tcp;
              })
              .toList());
    }
    m.put("clusters", s.clusters().stream().map(IrYaml::cluster).toList());
    s.zone().ifPresent(z -> m.put("zone", z));
    s.accessLog().ifPresent(a -> m.put("access-log", AccessLogYaml.accessLog(a)));
    s.tracing().ifPresent(t -> m.put("tracing", tracing(t))); // tracing (issue 15)
    return m;
  }

  private static Map<String, Object> authzRule(AuthzRuleIr r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", r.name());
    m.put("origin", r.origin());
    m.put(
        "principal",
        switch (r.principal()) {
          case PrincipalIr.AnyPeer any -> "any";
          case PrincipalIr.AnyAuthenticated any -> "any-authenticated";
          case PrincipalIr.Identity id -> id.spiffeId();
        });
    if (!r.methods().isEmpty()) {
      m.put("methods", r.methods());
    }
    if (!r.paths().isEmpty()) {
      m.put(
          "paths",
          r.paths().stream()
              .map(p ->
                  switch (p) {
                    case PathMatchIr.Exact e -> map("exact", e.path());
                    case PathMatchIr.Prefix pr -> map("prefix", pr.prefix());
                    case PathMatchIr.Regex re -> map("regex", re.regex());
                  })
              .toList());
    }
    return m;
  }

  private static Map<String, Object> cluster(ClusterIr c) {
    Map<String, Object> cm =
        map(
            "name",
            c.name(),
            "service",
            c.service(),
            "protocol",
            c.protocol().name().toLowerCase(Locale.ROOT));
    if (!c.selector().isEmpty()) {
      cm.put("selector", c.selector());
    }
    c.peerIdentity().ifPresent(id -> cm.put("mtls-peer", id));
    ClusterSettingsYaml.put(c.settings(), cm);
    return cm;
  }

  private static Map<String, Object> gateway(GatewayIr g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", g.name());
    g.identity().ifPresent(id -> m.put("identity", id));
    m.put(
        "listeners",
        g.listeners().stream()
            .map(l -> {
              Map<String, Object> lm =
                  map("name", l.resourceName(g.name()), "address", l.address() + ":" + l.port());
              l.tls().ifPresent(t -> lm.put("tls", SecurityYaml.tls(t)));
              l.redirectToHttpsPort().ifPresent(p -> lm.put("redirect-https-port", p));
              return lm;
            })
            .toList());
    if (!g.certificates().isEmpty()) {
      m.put("certificates", g.certificates().stream().map(SecurityYaml::certificate).toList());
    }
    JwtYaml.gateway(g, m); // jwt (issue 12)
    ApiKeyYaml.gateway(g, m); // api keys (issue 12)
    BasicAuthYaml.gateway(g, m); // basic auth (issue 12)
    OidcYaml.gateway(g, m); // oidc login (issue 12)
    m.put("hosts", g.hosts().stream().map(IrYaml::host).toList());
    m.put("clusters", g.clusters().stream().map(IrYaml::cluster).toList());
    g.zone().ifPresent(z -> m.put("zone", z));
    g.accessLog().ifPresent(a -> m.put("access-log", AccessLogYaml.accessLog(a)));
    // request limits (issue 13)
    g.limits().maxRequestHeadersKb().ifPresent(kb -> m.put("max-request-headers-kb", kb));
    g.limits().idleTimeout().ifPresent(d -> m.put("idle-timeout", d.toString()));
    g.limits().streamIdleTimeout().ifPresent(d -> m.put("stream-idle-timeout", d.toString()));
    g.tracing().ifPresent(t -> m.put("tracing", tracing(t))); // tracing (issue 15)
    g.rateLimitService()
        .ifPresent(r ->
            m.put(
                "rate-limit-service", // global rate limits (issue 13)
                map(
                    "address",
                    r.host() + ":" + r.port(),
                    "timeout",
                    duration(r.timeout()),
                    "failure",
                    r.failClosed() ? "closed" : "open",
                    "domain",
                    r.domain())));
    if (!g.errorResponses().isEmpty()) { // custom responses (issue 13)
      m.put("error-responses", errorResponses(g.errorResponses()));
    }
    if (!g.extAuthz().isEmpty()) { // external authorization (issue 12)
      m.put("ext-authz", g.extAuthz().stream().map(IrYaml::extAuthz).toList());
    }
    return m;
  }

  private static Map<String, Object> extAuthz(ExtAuthzIr e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", e.name());
    m.put(e.kind() == ExtAuthzIr.Kind.GRPC ? "grpc" : "http", e.host() + ":" + e.port());
    e.pathPrefix().ifPresent(p -> m.put("path-prefix", p));
    m.put("timeout", duration(e.timeout()));
    m.put("on-error", e.failOpen() ? "allow" : "deny");
    if (!e.sendHeaders().isEmpty()) {
      m.put("send-headers", e.sendHeaders());
    }
    if (!e.upstreamHeaders().isEmpty()) {
      m.put("upstream-headers", e.upstreamHeaders());
    }
    return m;
  }

  /** custom responses (issue 13): in the order they are tried. */
  private static java.util.List<Map<String, Object>> errorResponses(
      java.util.List<ErrorResponseIr> responses) {
    return responses.stream()
        .map(r ->
            map(
                "status",
                r.status(),
                "format",
                r.format().word(),
                "body",
                r.body(),
                "origin",
                r.origin()))
        .toList();
  }

  private static Map<String, Object> tracing(TracingIr t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("service-name", t.serviceName());
    m.put("collector", t.host() + ":" + t.port());
    m.put("sample", t.samplePercent() + "%");
    if (!t.tags().isEmpty()) {
      m.put(
          "tags",
          t.tags().stream().map(tag -> map("tag", tag.tag(), "header", tag.header())).toList());
    }
    return m;
  }

  private static Map<String, Object> host(VirtualHostIr h) {
    return map(
        "name",
        h.name(),
        "domains",
        h.domains(),
        "routes",
        h.routes().stream().map(IrYaml::route).toList());
  }

  private static Map<String, Object> route(RouteIr r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", r.name());
    m.put("origin", r.origin());
    m.put("match", match(r.match()));
    m.put("action", action(r.action()));
    if (!r.headerMutations().isEmpty()) {
      m.put("headers", r.headerMutations().stream().map(IrYaml::mutation).toList());
    }
    r.cors().ifPresent(c -> m.put("cors", SecurityYaml.cors(c)));
    r.jwt().ifPresent(j -> m.put("jwt", JwtYaml.route(j))); // jwt (issue 12)
    r.extAuthz().ifPresent(e -> m.put("ext-authz", e)); // external authorization (issue 12)
    r.apiKey().ifPresent(a -> m.put("api-key", ApiKeyYaml.route(a))); // api keys (issue 12)
    OidcYaml.route(r, m); // oidc login (issue 12)
    BasicAuthYaml.route(r, m); // basic auth (issue 12)
    r.traceSample().ifPresent(p -> m.put("trace-sample", p + "%")); // tracing (issue 15)
    r.compression() // compression (issue 13)
        .ifPresent(c ->
            m.put(
                "compress",
                map(
                    "algorithms",
                    c.algorithms(),
                    "types",
                    c.contentTypes(),
                    "min-size",
                    c.minBytes())));
    r.maxRequestBytes().ifPresent(b -> m.put("max-request-body", b)); // request limits (issue 13)
    GrpcYaml.route(r.grpc(), m); // gRPC transcoding and gRPC-Web (issue 13)
    r.rateLimit().ifPresent(l -> m.put("rate-limit", rateLimit(l))); // issue 13
    if (!r.errorResponses().isEmpty()) { // custom responses (issue 13)
      m.put("error-responses", errorResponses(r.errorResponses()));
    }
    return m;
  }

  /** local rate limits (issue 13). */
  private static Map<String, Object> rateLimit(RateLimitIr limit) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tokens", limit.tokens());
    m.put("per", duration(limit.interval()));
    m.put("burst", limit.burst());
    limit
        .key()
        .ifPresent(k ->
            m.put(
                "by",
                switch (k) {
                  case RateLimitIr.Key.ClientIp c -> "client-ip";
                  case RateLimitIr.Key.Header h -> "header " + h.name();
                  case RateLimitIr.Key.JwtClaim c -> "jwt claim " + c.claim();
                }));
    if (limit.dryRun()) {
      m.put("dry-run", true);
    }
    if (limit.global()) {
      m.remove("burst"); // global rate limits (issue 13): fixed windows, no burst
      m.put("global", true);
    }
    return m;
  }

  private static Map<String, Object> match(RouteMatchIr match) {
    Map<String, Object> m = new LinkedHashMap<>();
    switch (match.path()) {
      case PathMatchIr.Exact e -> m.put("exact", e.path());
      case PathMatchIr.Prefix p -> m.put("prefix", p.prefix());
      case PathMatchIr.Regex r -> m.put("regex", r.regex());
    }
    if (!match.methods().isEmpty()) {
      m.put("methods", match.methods());
    }
    if (!match.headers().isEmpty()) {
      m.put("headers", match.headers().stream().map(IrYaml::valueMatch).toList());
    }
    if (!match.queries().isEmpty()) {
      m.put("queries", match.queries().stream().map(IrYaml::valueMatch).toList());
    }
    return m;
  }

  private static Map<String, Object> valueMatch(ValueMatchIr v) {
    return map(
        "name", v.name(), v.kind() == ValueMatchIr.Kind.EXACT ? "exact" : "regex", v.value());
  }

  private static Map<String, Object> action(RouteActionIr action) {
    return switch (action) {
      case RouteActionIr.Forward f -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(
            "targets",
            f.targets().stream()
                .map(t -> map("cluster", t.cluster(), "weight", t.weight()))
                .toList());
        f.timeout().ifPresent(t -> m.put("timeout", t.isZero() ? "none" : duration(t)));
        f.retry()
            .ifPresent(r -> {
              Map<String, Object> rm = map("attempts", r.attempts(), "on", r.on());
              if (!r.statusCodes().isEmpty()) {
                rm.put("status-codes", r.statusCodes());
              }
              r.perTryTimeout().ifPresent(p -> rm.put("per-try", duration(p)));
              r.backoff().ifPresent(b -> rm.put("backoff", duration(b)));
              r.backoffMax().ifPresent(b -> rm.put("backoff-max", duration(b)));
              m.put("retry", rm);
            });
        f.rewrite()
            .ifPresent(rw -> {
              switch (rw) {
                case RouteActionIr.PrefixRewriteIr p ->
                    m.put("rewrite-prefix", map("from", p.from(), "to", p.to()));
                case RouteActionIr.ReplacePrefixIr p -> m.put("rewrite-matched-prefix", p.to());
                case RouteActionIr.ReplacePathIr p -> m.put("rewrite-path", p.path());
              }
            });
        f.backendTimeout().ifPresent(t -> m.put("backend-timeout", duration(t)));
        f.fault().ifPresent(x -> m.put("fault", fault(x)));
        f.hostRewrite()
            .ifPresent(h ->
                m.put(
                    "rewrite-host",
                    switch (h) {
                      case HostRewriteIr.Literal l -> l.host();
                      case HostRewriteIr.ToEndpoint e -> "to-endpoint";
                    }));
        if (!f.mirrors().isEmpty()) {
          m.put(
              "mirrors",
              f.mirrors().stream()
                  .map(x -> map("cluster", x.cluster(), "percent", x.percent()))
                  .toList());
        }
        if (!f.hashPolicies().isEmpty()) {
          m.put("hash-by", f.hashPolicies().stream().map(IrYaml::hashPolicy).toList());
        }
        yield map("forward", m);
      }
      case RouteActionIr.Redirect r ->
          map("redirect", map("status", r.status(), "location", r.location()));
      case RouteActionIr.RedirectTo r -> map("redirect", redirectTo(r));
      case RouteActionIr.Respond r -> map("respond", map("status", r.status(), "body", r.body()));
    };
  }

  private static Map<String, Object> hashPolicy(HashPolicyIr h) {
    Map<String, Object> m = map("kind", lower(h.kind()).replace('_', '-'));
    h.name().ifPresent(n -> m.put("name", n));
    h.ttl().ifPresent(t -> m.put("ttl", t.isZero() ? "session" : duration(t)));
    return m;
  }

  private static Map<String, Object> redirectTo(RouteActionIr.RedirectTo r) {
    Map<String, Object> m = map("status", r.status());
    r.scheme().ifPresent(x -> m.put("scheme", x));
    r.host().ifPresent(x -> m.put("host", x));
    r.port().ifPresent(x -> m.put("port", x));
    r.path()
        .ifPresent(p -> {
          switch (p) {
            case RouteActionIr.ReplacePrefixIr x -> m.put("matched-prefix", x.to());
            case RouteActionIr.ReplacePathIr x -> m.put("path", x.path());
            case RouteActionIr.PrefixRewriteIr x ->
                m.put("prefix", map("from", x.from(), "to", x.to()));
          }
        });
    if (r.stripQuery()) {
      m.put("strip-query", true);
    }
    return m;
  }

  private static Map<String, Object> fault(RouteActionIr.FaultIr f) {
    Map<String, Object> m = new LinkedHashMap<>();
    f.delay()
        .ifPresent(
            d -> m.put("delay", map("duration", duration(d.delay()), "percent", d.percent())));
    f.abort()
        .ifPresent(a ->
            m.put(
                "abort",
                map(a.grpc() ? "grpc-status" : "status", a.status(), "percent", a.percent())));
    f.header().ifPresent(h -> m.put("when-header", h));
    return m;
  }

  private static Map<String, Object> mutation(HeaderMutationIr h) {
    String side = h.direction() == HeaderMutationIr.Direction.REQUEST ? "request" : "response";
    return switch (h) {
      case HeaderMutationIr.Set s -> map("set", side, "name", s.name(), "value", s.value());
      case HeaderMutationIr.Remove r -> map("remove", side, "name", r.name());
      case HeaderMutationIr.Add a -> map("add", side, "name", a.name(), "value", a.value());
    };
  }

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
