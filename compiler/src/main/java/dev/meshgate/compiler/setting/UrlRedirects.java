package dev.meshgate.compiler.setting;

import static dev.meshgate.compiler.setting.SettingCodes.*;

import dev.meshgate.compiler.ast.NumberLit;
import dev.meshgate.compiler.ast.RedirectPart;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ir.RouteActionIr;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code redirect [STATUS] PART…}: a redirect that changes only the parts written (scheme, host,
 * port, the whole path or the matched prefix, the query). Envoy: {@code translate/UrlRedirects};
 * simulator: {@code simulate/GatewayRouting}; goldens: {@code redirect-parts/}.
 */
final class UrlRedirects implements Setting<RouteStmt.RedirectTo> {
  private static final Set<Integer> STATUSES = Set.of(301, 302, 303, 307, 308);

  /** A DNS name or IPv4 address, without port (the port is a part of its own). */
  private static final Pattern HOST =
      Pattern.compile(
          "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

  static final String STRIP_QUERY = "strip-query";

  @Override
  public Class<RouteStmt.RedirectTo> node() {
    return RouteStmt.RedirectTo.class;
  }

  @Override
  public Set<Attachment> attachments() {
    return Set.of(Attachment.ROUTE);
  }

  @Override
  public Role role() {
    return Role.ACTION;
  }

  @Override
  public void check(RouteStmt.RedirectTo r, SettingChecks checks) {
    r.status()
        .ifPresent(
            s -> {
              if (!STATUSES.contains((int) Math.min(s.value(), Integer.MAX_VALUE))) {
                checks.error(
                    REDIRECT_STATUS,
                    s.span(),
                    "redirect status "
                        + s.text()
                        + " is not a redirect; use 301, 302, 303, 307 or 308");
              }
            });
    Map<String, RedirectPart> seen = new HashMap<>();
    for (RedirectPart part : r.parts()) {
      String slot =
          switch (part) {
            case RedirectPart.Host h -> "host";
            case RedirectPart.Port p -> "port";
            case RedirectPart.Path p -> "path";
            case RedirectPart.Prefix p -> "path";
            case RedirectPart.Word w ->
                switch (w.word().text()) {
                  case "http", "https" -> "scheme";
                  case STRIP_QUERY -> STRIP_QUERY;
                  default -> {
                    checks.error(
                        UNKNOWN_REDIRECT_PART,
                        w.span(),
                        "redirect does not know \""
                            + w.word().text()
                            + "\"; write http, https, host \"NAME\", port N, path \"/…\","
                            + " prefix \"/…\" or strip-query");
                    yield "";
                  }
                };
          };
      if (slot.isEmpty()) {
        continue;
      }
      RedirectPart earlier = seen.putIfAbsent(slot, part);
      if (earlier != null) {
        checks.error(
            CONFLICTING_REDIRECT_PARTS,
            part.span(),
            "redirect already sets the "
                + slot
                + " (`"
                + earlier.keyword()
                + "` at "
                + checks.at(earlier.span())
                + "); a redirect changes each part of the URL at most once");
        continue;
      }
      switch (part) {
        case RedirectPart.Host h -> {
          if (!HOST.matcher(h.host().value()).matches()) {
            checks.error(
                INVALID_REDIRECT_HOST,
                h.host().span(),
                "redirect host \""
                    + h.host().value()
                    + "\" is not a host name; write a name like \"b.example\" (a port is"
                    + " written apart: port 8443)");
          }
        }
        case RedirectPart.Port p -> checks.port(p.port());
        case RedirectPart.Path p -> NewPaths.valid("redirect path", p.path(), checks);
        case RedirectPart.Prefix p -> {
          if (NewPaths.valid("redirect prefix", p.prefix(), checks)) {
            NewPaths.needsPrefixRoute("redirect prefix", p.prefix(), checks);
          }
        }
        case RedirectPart.Word w -> {}
      }
    }
  }

  @Override
  public void lower(RouteStmt.RedirectTo r, RouteParts parts) {
    Optional<String> scheme = Optional.empty();
    Optional<String> host = Optional.empty();
    Optional<Integer> port = Optional.empty();
    Optional<RouteActionIr.PathRewriteIr> path = Optional.empty();
    boolean stripQuery = false;
    for (RedirectPart part : r.parts()) {
      switch (part) {
        case RedirectPart.Host h -> host = host.or(() -> Optional.of(h.host().value()));
        case RedirectPart.Port p -> port = port.or(() -> Optional.of(port(p.port())));
        case RedirectPart.Path p ->
            path = path.or(() -> Optional.of(new RouteActionIr.ReplacePathIr(p.path().value())));
        case RedirectPart.Prefix p ->
            path =
                path.or(() -> Optional.of(new RouteActionIr.ReplacePrefixIr(p.prefix().value())));
        case RedirectPart.Word w -> {
          if (w.word().text().equals(STRIP_QUERY)) {
            stripQuery = true;
          } else {
            scheme = scheme.or(() -> Optional.of(w.word().text()));
          }
        }
      }
    }
    int status = r.status().map(s -> (int) s.value()).orElse(302);
    parts.action(new RouteActionIr.RedirectTo(status, scheme, host, port, path, stripQuery));
  }

  private static int port(NumberLit n) {
    return (int) Math.min(n.value(), Integer.MAX_VALUE);
  }
}
