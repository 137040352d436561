package dev.meshgate.cli.demo;

import dev.meshgate.compiler.ir.AuthzRuleIr;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.ListenerIr;
import dev.meshgate.compiler.ir.PathMatchIr;
import dev.meshgate.compiler.ir.PolicyIr;
import dev.meshgate.compiler.ir.PrincipalIr;
import dev.meshgate.compiler.ir.RouteActionIr;
import dev.meshgate.compiler.ir.RouteIr;
import dev.meshgate.compiler.ir.SidecarIr;
import dev.meshgate.compiler.ir.ValueMatchIr;
import dev.meshgate.compiler.ir.VirtualHostIr;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Example {@code curl} commands for a compiled policy: one per listener and route that a plain
 * request can reach (exact or prefix path; header and query conditions only when they are exact
 * values), each with a comment saying what should answer.
 */
public final class CurlExamples {
  private CurlExamples() {}

  /** The lines, comments aligned, in policy order (gateway, listener, host, route). */
  public static List<String> lines(PolicyIr ir) {
    return lines(ir, provider -> Optional.empty());
  }

  /**
   * As {@link #lines(PolicyIr)}, a route that takes a JWT sending the token of its provider from
   * the shell variable {@code tokenVariable} names (the demo mints them), when it names one.
   */
  public static List<String> lines(
      PolicyIr ir, java.util.function.Function<String, Optional<String>> tokenVariable) {
    List<String[]> rows = new ArrayList<>();
    for (GatewayIr gateway : ir.gateways()) {
      for (ListenerIr listener : gateway.listeners()) {
        if (listener.tls().isPresent() || listener.redirectToHttpsPort().isPresent()) {
          continue; // see httpsLines
        }
        for (VirtualHostIr host : gateway.hosts()) {
          for (RouteIr route : host.routes()) {
            Optional<String> provider = route.jwt().flatMap(j -> j.provider());
            Optional<String> token = provider.flatMap(tokenVariable);
            command(listener, host, route)
                .map(cmd -> token.map(v -> withToken(cmd, v)).orElse(cmd))
                .ifPresent(cmd ->
                    rows.add(
                        new String[] {
                          cmd,
                          outcome(route.action())
                              + (token.isPresent()
                                  ? " (with the demo's token)"
                                  : provider
                                      .map(p ->
                                          " (401 without a token of jwt-provider \"" + p + "\")")
                                      .orElse(""))
                        }));
          }
        }
      }
    }
    int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
    return rows.stream()
        .map(r -> r[0] + " ".repeat(width - r[0].length()) + "   # " + r[1])
        .toList();
  }

  /**
   * For each TLS listener, one HTTPS request per host (its first route's path), trusting the
   * server's CA ({@code caFile}: the built-in CA issues development certificates) and resolving the
   * host to the listener so SNI and the certificate check use the real name; and one request to
   * each redirect listener.
   */
  public static List<String> httpsLines(PolicyIr ir, String caFile) {
    List<String[]> rows = new ArrayList<>();
    for (GatewayIr gateway : ir.gateways()) {
      for (ListenerIr listener : gateway.listeners()) {
        String address = listener.address().equals("0.0.0.0") ? "127.0.0.1" : listener.address();
        for (VirtualHostIr host : gateway.hosts()) {
          Optional<String> name = hostHeader(host.name());
          if (name.isEmpty() || host.routes().isEmpty()) {
            continue;
          }
          String path =
              switch (host.routes().getFirst().match().path()) {
                case PathMatchIr.Exact e -> e.path();
                case PathMatchIr.Prefix p -> underPrefix(p.prefix());
                case PathMatchIr.Regex r -> "/";
              };
          if (listener.tls().isPresent()) {
            rows.add(
                new String[] {
                  "curl -s --cacert "
                      + shellWord(caFile)
                      + " --resolve "
                      + name.get()
                      + ":"
                      + listener.port()
                      + ":"
                      + address
                      + " https://"
                      + name.get()
                      + ":"
                      + listener.port()
                      + path,
                  "HTTPS (SNI " + name.get() + ")"
                });
          } else if (listener.redirectToHttpsPort().isPresent()) {
            rows.add(
                new String[] {
                  "curl -si -H "
                      + shellQuote("Host: " + name.get())
                      + " http://"
                      + address
                      + ":"
                      + listener.port()
                      + path,
                  "301 to https://" + name.get() + ":" + listener.redirectToHttpsPort().get()
                });
          }
        }
      }
    }
    int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
    return rows.stream()
        .map(r -> r[0] + " ".repeat(width - r[0].length()) + "   # " + r[1])
        .toList();
  }

  /**
   * For each sidecar, one request per service it may call, sent the way its app would: to the
   * sidecar's outbound port with the callee's name as Host, for example {@code curl -s -H 'Host:
   * catalog' http://127.0.0.1:15001/items}. The path and method are ones the callee's allow rules
   * let this caller use, when they say.
   */
  public static List<String> sidecarLines(PolicyIr ir) {
    Map<String, SidecarIr> byService = new HashMap<>();
    ir.sidecars().forEach(s -> byService.put(s.service(), s));
    List<String[]> rows = new ArrayList<>();
    for (SidecarIr caller : ir.sidecars()) {
      for (VirtualHostIr callee : caller.outboundHosts()) {
        String method = "GET";
        String path = "/items";
        Optional<String> refused = Optional.empty();
        SidecarIr target = byService.get(callee.name());
        if (target != null) {
          refused = refusedMethod(target, caller);
          for (AuthzRuleIr rule : target.authz().allow()) {
            if (rule.principal() instanceof PrincipalIr.Identity id
                && id.spiffeId().equals(caller.identity())) {
              if (!rule.methods().isEmpty() && !rule.methods().contains("GET")) {
                method = rule.methods().getFirst();
              }
              for (PathMatchIr p : rule.paths()) {
                Optional<String> example =
                    switch (p) {
                      case PathMatchIr.Exact e -> Optional.of(e.path());
                      case PathMatchIr.Prefix pre ->
                          Optional.of(pre.prefix().equals("/") ? "/items" : pre.prefix());
                      case PathMatchIr.Regex r -> Optional.empty();
                    };
                if (example.isPresent()) {
                  path = example.get();
                  break;
                }
              }
              break;
            }
          }
        }
        String cmd =
            "curl -s"
                + (method.equals("GET") ? "" : method.equals("HEAD") ? " -I" : " -X " + method)
                + " -H "
                + shellQuote("Host: " + callee.name())
                + " http://"
                + connectAddress(caller.outbound().address())
                + ":"
                + caller.outbound().port()
                + path;
        rows.add(
            new String[] {
              cmd,
              caller.service()
                  + " → "
                  + callee.name()
                  + " through the "
                  + caller.service()
                  + " sidecar (mTLS, as "
                  + caller.service()
                  + ")"
            });
        refused.ifPresent(m ->
            rows.add(
                new String[] {
                  cmd.replaceFirst("^curl -s( -X [A-Z]+| -I)?", "curl -s -X " + m),
                  "403: no allow rule lets " + caller.service() + " " + m + " here"
                }));
      }
    }
    int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
    return rows.stream()
        .map(r -> r[0] + " ".repeat(width - r[0].length()) + "   # " + r[1])
        .toList();
  }

  /**
   * A method {@code caller} may not use on {@code target} (default deny, and its only allow rule
   * names methods), so the demo can show a refusal too.
   */
  static Optional<String> refusedMethod(SidecarIr target, SidecarIr caller) {
    if (target.authz().defaultAction() != dev.meshgate.compiler.ir.MeshIr.AuthzDefault.DENY) {
      return Optional.empty();
    }
    List<AuthzRuleIr> rules =
        target.authz().allow().stream()
            .filter(r ->
                r.principal() instanceof PrincipalIr.Identity id
                    && id.spiffeId().equals(caller.identity()))
            .toList();
    if (rules.size() != 1 || rules.getFirst().methods().isEmpty()) {
      return Optional.empty();
    }
    return java.util.stream.Stream.of("POST", "DELETE", "PUT")
        .filter(m -> !rules.getFirst().methods().contains(m))
        .findFirst();
  }

  static Optional<String> command(ListenerIr listener, VirtualHostIr host, RouteIr route) {
    Optional<String> path =
        switch (route.match().path()) {
          case PathMatchIr.Exact e -> Optional.of(e.path());
          case PathMatchIr.Prefix p -> Optional.of(underPrefix(p.prefix()));
          case PathMatchIr.Regex r -> Optional.empty();
        };
    boolean allExact =
        route.match().headers().stream().allMatch(h -> h.kind() == ValueMatchIr.Kind.EXACT)
            && route.match().queries().stream().allMatch(q -> q.kind() == ValueMatchIr.Kind.EXACT);
    if (path.isEmpty() || !allExact) {
      return Optional.empty(); // no honest example request can be made up for a regex
    }
    StringBuilder cmd = new StringBuilder("curl -s");
    if (route.action() instanceof RouteActionIr.Redirect
        || route.action() instanceof RouteActionIr.RedirectTo) {
      cmd.append('i'); // the status line and Location are the whole point
    }
    List<String> methods = route.match().methods();
    if (!methods.isEmpty() && !methods.contains("GET")) {
      cmd.append(methods.contains("HEAD") ? " -I" : " -X " + methods.getFirst());
    }
    hostHeader(host.name()).ifPresent(h -> cmd.append(" -H ").append(shellQuote("Host: " + h)));
    for (ValueMatchIr header : route.match().headers()) {
      cmd.append(" -H ").append(shellQuote(header.name() + ": " + header.value()));
    }
    String query =
        route.match().queries().stream()
            .map(q -> encode(q.name()) + "=" + encode(q.value()))
            .collect(Collectors.joining("&"));
    String url =
        "http://"
            + connectAddress(listener.address())
            + ":"
            + listener.port()
            + path.get()
            + (query.isEmpty() ? "" : "?" + query);
    cmd.append(' ').append(url.contains("?") || url.contains("&") ? shellQuote(url) : url);
    return Optional.of(cmd.toString());
  }

  /**
   * {@code cmd} sending {@code Authorization: Bearer $VARIABLE}: double quotes, so the shell puts
   * the token in.
   */
  static String withToken(String cmd, String variable) {
    int url = cmd.lastIndexOf(" http://");
    return cmd.substring(0, url)
        + " -H \"Authorization: Bearer $"
        + variable
        + "\""
        + cmd.substring(url);
  }

  /**
   * A path a prefix route takes: {@code /catalog} → {@code /catalog/items}, {@code /} → {@code /}.
   */
  static String underPrefix(String prefix) {
    String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    return p.isEmpty() ? "/" : p + "/items";
  }

  /** The Host header for a virtual host: none for "*", a made-up name for "*.example". */
  static Optional<String> hostHeader(String host) {
    if (host.equals("*")) {
      return Optional.empty();
    }
    return Optional.of(host.startsWith("*") ? "demo" + host.substring(1) : host);
  }

  /** Where a client on this machine reaches a listener bound to {@code address}. */
  static String connectAddress(String address) {
    return switch (address) {
      case "0.0.0.0", "" -> "127.0.0.1";
      case "::", "[::]" -> "[::1]";
      default -> address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
    };
  }

  static String outcome(RouteActionIr action) {
    return switch (action) {
      case RouteActionIr.Forward f ->
          f.targets().size() == 1
              ? "→ " + f.targets().getFirst().cluster()
              : "→ "
                  + f.targets().stream()
                      .map(t -> t.cluster() + " " + t.weight() + "%")
                      .collect(Collectors.joining(", "));
      case RouteActionIr.Redirect r -> "→ redirect " + r.status() + " " + r.location();
      case RouteActionIr.RedirectTo r -> "→ redirect " + r.status();
      case RouteActionIr.Respond r ->
          "→ "
              + r.status()
              + (r.body().isEmpty() ? "" : " \"" + r.body() + "\"")
              + " from the gateway itself";
    };
  }

  /** {@code s} as one shell word: as is when it is plain, else single-quoted. */
  static String shellWord(String s) {
    return s.matches("[A-Za-z0-9_./:=@%+-]+") ? s : shellQuote(s);
  }

  static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
