package dev.meshgate.compiler.format;

import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import java.util.List;
import java.util.stream.Collectors;

/** The canonical text of the edge security statements (issue 12). */
final class TlsLayout {
  private TlsLayout() {}

  static String listenMode(GatewayStmt.ListenMode mode) {
    return switch (mode) {
      case GatewayStmt.ListenMode.Tls t -> {
        StringBuilder sb = new StringBuilder(" tls");
        t.minVersion().ifPresent(v -> sb.append(" min-version ").append(v.text()));
        if (!t.ciphers().isEmpty()) {
          sb.append(" ciphers ").append(strings(t.ciphers()));
        }
        t.clientCertificate()
            .ifPresent(
                c -> {
                  sb.append(" client-certificate");
                  c.mode().ifPresent(m -> sb.append(' ').append(m.text()));
                  sb.append(" ca file ").append(Layout.quote(c.caFile().value()));
                });
        yield sb.toString();
      }
      case GatewayStmt.ListenMode.Redirect r ->
          " redirect " + r.scheme().text() + r.port().map(p -> " :" + p.text()).orElse("");
    };
  }

  static String certificate(GatewayStmt.Certificate c) {
    return "certificate "
        + strings(c.serverNames())
        + switch (c.source()) {
          case GatewayStmt.CertificateSource.Files f ->
              " file "
                  + Layout.quote(f.chain().value())
                  + " key file "
                  + Layout.quote(f.key().value());
          case GatewayStmt.CertificateSource.BuiltInCa b -> " built-in-ca";
        };
  }

  static String cors(RouteStmt.Cors c) {
    StringBuilder sb = new StringBuilder("cors {");
    for (RouteStmt.CorsOrigin o : c.origins()) {
      sb.append(" origin ").append(o.regex() ? "~ " : "").append(Layout.quote(o.value().value()));
    }
    if (!c.methods().isEmpty()) {
      sb.append(" methods ")
          .append(c.methods().stream().map(Name::text).collect(Collectors.joining(", ")));
    }
    if (!c.headers().isEmpty()) {
      sb.append(" headers ").append(strings(c.headers()));
    }
    if (!c.exposeHeaders().isEmpty()) {
      sb.append(" expose ").append(strings(c.exposeHeaders()));
    }
    c.credentials().ifPresent(x -> sb.append(" credentials"));
    c.maxAge().ifPresent(d -> sb.append(" max-age ").append(d.text()));
    return sb.append(" }").toString();
  }

  private static String strings(List<StringLit> strings) {
    return strings.stream().map(s -> Layout.quote(s.value())).collect(Collectors.joining(", "));
  }
}
