package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.compiler.ir.CertificateIr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A gateway's TLS listeners, HTTPS redirects and certificates (issue 12): versions and ciphers
 * Envoy knows, a certificate for every host a TLS listener serves, a redirect that has somewhere to
 * go.
 */
final class TlsChecks {
  /**
   * TLS 1.2 cipher suites (BoringSSL names) a listener may offer. Only forward-secret AEAD suites:
   * the CBC and plain-RSA ones Envoy would also accept are what the safe default leaves out.
   */
  static final List<String> CIPHERS =
      List.of(
          "ECDHE-ECDSA-AES128-GCM-SHA256",
          "ECDHE-RSA-AES128-GCM-SHA256",
          "ECDHE-ECDSA-AES256-GCM-SHA384",
          "ECDHE-RSA-AES256-GCM-SHA384",
          "ECDHE-ECDSA-CHACHA20-POLY1305",
          "ECDHE-RSA-CHACHA20-POLY1305");

  private final CheckContext cx;
  private final GatewayChecks gateways;

  TlsChecks(CheckContext cx, GatewayChecks gateways) {
    this.cx = cx;
    this.gateways = gateways;
  }

  void listen(GatewayStmt.Listen listen) {
    switch (listen.mode().orElse(null)) {
      case null -> {}
      case GatewayStmt.ListenMode.Tls tls -> {
        tls.minVersion()
            .ifPresent(v -> {
              if (!v.text().equals("1.2") && !v.text().equals("1.3")) {
                String why =
                    v.text().equals("1.0") || v.text().equals("1.1")
                        ? "TLS " + v.text() + " is deprecated (RFC 8996) and unsafe; "
                        : "";
                cx.error(
                    TLS_VERSION,
                    v.span(),
                    "min-version " + v.text() + " is not allowed; " + why + "write 1.2 or 1.3");
              }
            });
        for (StringLit cipher : tls.ciphers()) {
          if (!CIPHERS.contains(cipher.value())) {
            cx.error(
                TLS_UNKNOWN_CIPHER,
                cipher.span(),
                "unknown or unsafe cipher \""
                    + cipher.value()
                    + "\"; choose from "
                    + String.join(", ", CIPHERS));
          }
        }
        tls.clientCertificate()
            .flatMap(GatewayStmt.ClientCertificate::mode)
            .filter(m -> !Set.of("required", "optional").contains(m.text()))
            .ifPresent(m ->
                cx.error(
                    TLS_CLIENT_CERTIFICATE_MODE,
                    m.span(),
                    "client-certificate is `required` or `optional`, not \"" + m.text() + "\""));
      }
      case GatewayStmt.ListenMode.Redirect r -> {
        if (!r.scheme().text().equals("https")) {
          cx.error(
              REDIRECT_NOT_HTTPS,
              r.scheme().span(),
              "a listener redirects to https only; write `redirect https`");
        }
        r.port().ifPresent(gateways.values()::port);
      }
    }
  }

  /** After every statement of the gateway was looked at once. */
  void gateway(GatewayDecl gateway) {
    String name = gateway.name().text();
    List<GatewayStmt.Listen> tlsListeners = new ArrayList<>();
    List<GatewayStmt.Certificate> certificates = new ArrayList<>();
    List<GatewayStmt.Host> hosts = new ArrayList<>();
    Map<String, StringLit> names = new HashMap<>();
    for (GatewayStmt stmt : gateway.body()) {
      switch (stmt) {
        case GatewayStmt.Listen l -> {
          if (l.mode().orElse(null) instanceof GatewayStmt.ListenMode.Tls) {
            tlsListeners.add(l);
          }
        }
        case GatewayStmt.Host h -> hosts.add(h);
        case GatewayStmt.RouteSetting r -> {}
        case GatewayStmt.JwtProvider p -> {}
        case GatewayStmt.ApiKeys k -> {}
        case GatewayStmt.OidcProvider p -> {}
        case GatewayStmt.BasicAuth b -> {}
        case GatewayStmt.Zone z -> {}
        case GatewayStmt.AccessLog a -> {}
        case GatewayStmt.Limit l -> {}
        case GatewayStmt.TracingSetting t -> {}
        case GatewayStmt.RateLimitService r -> {}
        case GatewayStmt.ExtAuthz e -> {}
        case GatewayStmt.Certificate c -> {
          certificates.add(c);
          certificate(c, names);
        }
      }
    }
    for (GatewayStmt stmt : gateway.body()) {
      if (stmt instanceof GatewayStmt.Listen l
          && l.mode().orElse(null) instanceof GatewayStmt.ListenMode.Redirect r
          && r.port().isEmpty()
          && tlsListeners.size() != 1) {
        cx.error(
            REDIRECT_WITHOUT_TLS_LISTENER,
            r.span(),
            tlsListeners.isEmpty()
                ? "gateway \""
                    + name
                    + "\" has no `listen … tls` to redirect to; add one like `listen :8443 tls`"
                : "gateway \""
                    + name
                    + "\" has several TLS listeners; say which port to redirect to, like"
                    + " `redirect https :"
                    + tlsListeners.get(0).port().text()
                    + "`");
      }
    }
    if (tlsListeners.isEmpty()) {
      for (GatewayStmt.Certificate c : certificates) {
        cx.warning(
            CERTIFICATE_WITHOUT_TLS_LISTENER,
            c.span(),
            "gateway \""
                + name
                + "\" has no `listen … tls`, so this certificate is never used; add one like"
                + " `listen :8443 tls`");
      }
      return;
    }
    GatewayStmt.Listen first = tlsListeners.get(0);
    if (certificates.isEmpty()) {
      cx.error(
          TLS_WITHOUT_CERTIFICATE,
          first.span(),
          "gateway \""
              + name
              + "\" terminates TLS but has no certificate; add one like"
              + " `certificate \"api.example.com\" file \"api.pem\" key file \"api.key\"` (or"
              + " `certificate \"localhost\" built-in-ca` for development)");
      return;
    }
    List<CertificateIr> covering =
        certificates.stream()
            .map(c ->
                new CertificateIr(
                    "",
                    c.serverNames().stream().map(s -> s.value().toLowerCase(Locale.ROOT)).toList(),
                    new CertificateIr.Source.BuiltInCa()))
            .toList();
    for (GatewayStmt.Host h : hosts) {
      String host = h.host().value().toLowerCase(Locale.ROOT);
      if (covering.stream().noneMatch(c -> c.covers(host))) {
        cx.error(
            TLS_HOST_WITHOUT_CERTIFICATE,
            h.host().span(),
            "host \""
                + h.host().value()
                + "\" is served by the TLS listener at "
                + cx.at(first.span())
                + " but no certificate of gateway \""
                + name
                + "\" names it, so HTTPS clients asking for it are refused; add `certificate \""
                + h.host().value()
                + "\" …` (or \"*\" for a default certificate)");
      }
    }
  }

  private void certificate(GatewayStmt.Certificate c, Map<String, StringLit> names) {
    for (StringLit serverName : c.serverNames()) {
      gateways.checkHost(serverName);
      StringLit before = names.putIfAbsent(serverName.value().toLowerCase(Locale.ROOT), serverName);
      if (before != null) {
        cx.error(
            DUPLICATE_CERTIFICATE_NAME,
            serverName.span(),
            "\""
                + serverName.value()
                + "\" already has a certificate at "
                + cx.at(before.span())
                + "; a client asking for it must get exactly one");
      }
      if (c.source() instanceof GatewayStmt.CertificateSource.BuiltInCa
          && serverName.value().equals("*")) {
        cx.error(
            BUILT_IN_CA_WILDCARD,
            serverName.span(),
            "the built-in CA issues certificates for names, not for \"*\"; list the host names"
                + " clients use, like \"localhost\"");
      }
    }
  }
}
