package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.GatewayStmt.ExtAuthzField;
import dev.meshgate.compiler.ast.RouteAuth;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * external authorization (issue 12): a gateway's {@code ext-authz} services (unique names, one
 * {@code grpc} or {@code http} address, each field once, a timeout Envoy can wait for) and the
 * services its {@code require ext-authz} name. What {@code ext-authz off} may say is checked by
 * {@code setting/ExtAuthzRequirements}.
 */
final class ExtAuthzChecks {
  /** Every request of the route waits this long at most: longer is surely a mistake. */
  static final Duration MAX_TIMEOUT = Duration.ofSeconds(10);

  private static final Pattern HOST =
      Pattern.compile(
          "(\\d{1,3}(\\.\\d{1,3}){3})|([a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)");

  private final CheckContext cx;
  private final Values values;

  ExtAuthzChecks(CheckContext cx, Values values) {
    this.cx = cx;
    this.values = values;
  }

  private static final DeclaredProviders.Kind KIND =
      new DeclaredProviders.Kind(
          "ext-authz",
          "ext-authz services",
          EXT_AUTHZ_DUPLICATE,
          EXT_AUTHZ_UNKNOWN,
          EXT_AUTHZ_UNUSED,
          name -> "ext-authz \"" + name + "\" { grpc \"127.0.0.1:9191\" }",
          name ->
              "ext-authz \""
                  + name
                  + "\" is not required by any host or route, so it never decides a request;"
                  + " add `require ext-authz \""
                  + name
                  + "\"` where it applies, or remove it");

  void gateway(GatewayDecl gateway) {
    DeclaredProviders.check(
        cx,
        gateway,
        KIND,
        GatewayStmt.ExtAuthz.class,
        GatewayStmt.ExtAuthz::name,
        this::service,
        s -> s instanceof RouteAuth.RequireExtAuthz r ? r.provider() : Optional.empty());
  }

  private void service(GatewayStmt.ExtAuthz e) {
    List<ExtAuthzField.Service> kinds = e.all(ExtAuthzField.Service.class);
    if (kinds.isEmpty()) {
      cx.error(
          EXT_AUTHZ_WITHOUT_SERVICE,
          e.span(),
          "ext-authz \""
              + e.name().value()
              + "\" says no service to ask; add `grpc \"HOST:PORT\"` (an"
              + " envoy.service.auth.v3.Authorization server) or `http \"HOST:PORT\"`");
    } else {
      kind(kinds.getFirst());
    }
    once(kinds, "grpc` or `http");
    once(e.all(ExtAuthzField.Timeout.class), "timeout");
    once(e.all(ExtAuthzField.OnError.class), "on-error");
    once(e.all(ExtAuthzField.SendHeaders.class), "send-headers");
    once(e.all(ExtAuthzField.UpstreamHeaders.class), "upstream-headers");
    for (ExtAuthzField.Timeout t : e.all(ExtAuthzField.Timeout.class)) {
      values.duration(t.timeout());
      t.timeout()
          .value()
          .filter(d -> d.compareTo(MAX_TIMEOUT) > 0)
          .ifPresent(d ->
              cx.error(
                  EXT_AUTHZ_TIMEOUT,
                  t.timeout().span(),
                  "every request of the routes it decides waits for the ext-authz service, at"
                      + " most 10s, found timeout "
                      + t.timeout().text()
                      + "; a decision takes milliseconds, like `timeout 200ms`"));
    }
    e.all(ExtAuthzField.SendHeaders.class).forEach(h -> h.headers().forEach(values::headerName));
    e.all(ExtAuthzField.UpstreamHeaders.class)
        .forEach(h -> h.headers().forEach(values::headerName));
    boolean grpc = !kinds.isEmpty() && kinds.getFirst().kind().text().equals("grpc");
    if (grpc) {
      for (ExtAuthzField.UpstreamHeaders h : e.all(ExtAuthzField.UpstreamHeaders.class)) {
        cx.error(
            EXT_AUTHZ_KIND,
            h.span(),
            "`upstream-headers` is for an http service; a grpc service names the headers to add"
                + " in its OK answer (OkHttpResponse.headers), and Envoy adds them all");
      }
    }
  }

  private void kind(ExtAuthzField.Service s) {
    String kind = s.kind().text();
    if (!kind.equals("grpc") && !kind.equals("http")) {
      cx.error(
          EXT_AUTHZ_KIND,
          s.kind().span(),
          "unknown ext-authz service kind `"
              + kind
              + "`; write `grpc \"HOST:PORT\"` or `http \"HOST:PORT\"`");
      return;
    }
    if (kind.equals("grpc") && s.pathPrefix().isPresent()) {
      cx.error(
          EXT_AUTHZ_KIND,
          s.pathPrefix().get().span(),
          "`path-prefix` is for an http service; a grpc service is always asked at"
              + " /envoy.service.auth.v3.Authorization/Check");
    }
    s.pathPrefix()
        .filter(p -> !p.value().startsWith("/") || p.value().endsWith("/"))
        .ifPresent(p ->
            cx.error(
                EXT_AUTHZ_ADDRESS,
                p.span(),
                "path-prefix "
                    + p.raw()
                    + " must start with / and not end with / (Envoy puts the request's path"
                    + " after it), like \"/authz\""));
    String address = s.address().value();
    int colon = address.lastIndexOf(':');
    String host = colon < 0 ? address : address.substring(0, colon);
    String port = colon < 0 ? "" : address.substring(colon + 1);
    boolean hostOk = !host.isEmpty() && HOST.matcher(host.toLowerCase(Locale.ROOT)).matches();
    boolean portOk =
        port.matches("\\d{1,5}") && Integer.parseInt(port) > 0 && Integer.parseInt(port) <= 65535;
    if (!hostOk || !portOk) {
      cx.error(
          EXT_AUTHZ_ADDRESS,
          s.address().span(),
          "ext-authz address "
              + s.address().raw()
              + " is not HOST:PORT; write it like \"127.0.0.1:9191\" or \"authz.internal:9191\""
              + " (no scheme, no path)");
    } else {
      values.address(host, s.address().span());
    }
  }

  private void once(List<? extends ExtAuthzField> fields, String keyword) {
    for (ExtAuthzField f : fields.subList(Math.min(1, fields.size()), fields.size())) {
      cx.error(
          EXT_AUTHZ_REPEATED_FIELD,
          f.span(),
          "`"
              + keyword
              + "` is written twice in this ext-authz block (first at "
              + cx.at(fields.getFirst().span())
              + "); keep one");
    }
  }
}
