package dev.meshgate.compiler.lower;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.compiler.ir.CertificateIr;
import dev.meshgate.compiler.ir.ListenerIr;
import dev.meshgate.compiler.ir.TlsIr;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A gateway's TLS listeners, HTTPS redirects and certificates (issue 12). */
final class TlsLowering {
  /** TLS 1.0 and 1.1 are deprecated (RFC 8996): 1.2 is the lowest a listener accepts. */
  static final String DEFAULT_MIN_VERSION = "1.2";

  private TlsLowering() {}

  static ListenerIr listener(GatewayDecl gateway, GatewayStmt.Listen listen, String address) {
    int port = (int) listen.port().value();
    return switch (listen.mode().orElse(null)) {
      case null -> new ListenerIr(address, port);
      case GatewayStmt.ListenMode.Tls tls ->
          new ListenerIr(address, port, Optional.of(tls(gateway, port, tls)), Optional.empty());
      case GatewayStmt.ListenMode.Redirect r ->
          new ListenerIr(
              address,
              port,
              Optional.empty(),
              Optional.of(
                  r.port().map(p -> (int) p.value()).orElseGet(() -> firstTlsPort(gateway))));
    };
  }

  private static TlsIr tls(GatewayDecl gateway, int port, GatewayStmt.ListenMode.Tls tls) {
    Optional<TlsIr.ClientCertificateIr> client =
        tls.clientCertificate()
            .map(
                c ->
                    new TlsIr.ClientCertificateIr(
                        c.mode().map(m -> !m.text().equals("optional")).orElse(true),
                        file(c.caFile()),
                        "tls-client-ca:" + gateway.name().text() + ":" + port));
    return new TlsIr(
        tls.minVersion().map(GatewayStmt.TlsVersion::text).orElse(DEFAULT_MIN_VERSION),
        tls.ciphers().stream().map(StringLit::value).toList(),
        client);
  }

  /** The checker made sure a redirect without a port has exactly one TLS listener to go to. */
  private static int firstTlsPort(GatewayDecl gateway) {
    return gateway.body().stream()
        .flatMap(
            s ->
                s instanceof GatewayStmt.Listen l
                        && l.mode().orElse(null) instanceof GatewayStmt.ListenMode.Tls
                    ? java.util.stream.Stream.of((int) l.port().value())
                    : java.util.stream.Stream.empty())
        .findFirst()
        .orElse(443);
  }

  static List<CertificateIr> certificates(GatewayDecl gateway) {
    List<CertificateIr> certificates = new ArrayList<>();
    for (GatewayStmt stmt : gateway.body()) {
      if (stmt instanceof GatewayStmt.Certificate c) {
        List<String> names = c.serverNames().stream().map(StringLit::value).toList();
        CertificateIr.Source source =
            switch (c.source()) {
              case GatewayStmt.CertificateSource.Files f ->
                  new CertificateIr.Source.Files(file(f.chain()), file(f.key()));
              case GatewayStmt.CertificateSource.BuiltInCa b ->
                  new CertificateIr.Source.BuiltInCa();
            };
        certificates.add(new CertificateIr("tls:" + String.join(",", names), names, source));
      }
    }
    return certificates;
  }

  /**
   * A file named in a policy, relative to the policy file's directory (so a policy and its
   * certificates move together), with forward slashes on every platform.
   */
  static String file(StringLit written) {
    Path path = Path.of(written.value());
    if (path.isAbsolute()) {
      return path.normalize().toString().replace('\\', '/');
    }
    Span span = written.span();
    Path dir = Path.of(span.file()).getParent();
    Path resolved = dir == null ? path : dir.resolve(path);
    return resolved.normalize().toString().replace('\\', '/');
  }
}
