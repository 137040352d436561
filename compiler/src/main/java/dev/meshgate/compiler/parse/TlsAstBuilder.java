package dev.meshgate.compiler.parse;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.DurationLit;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.NumberLit;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.grammar.MeshParser.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.tree.TerminalNode;

/** Edge security syntax (issue 12): TLS listeners, certificates and CORS. */
final class TlsAstBuilder {
  private TlsAstBuilder() {}

  static Optional<GatewayStmt.ListenMode> listenMode(AstLeaves b, ListenModeContext ctx) {
    if (AstLeaves.hasErrorNodes(ctx)) {
      return Optional.empty();
    }
    return switch (ctx) {
      case TlsListenContext t -> tls(b, t);
      case RedirectListenContext r -> {
        Optional<Name> scheme = b.name(r.name());
        Optional<NumberLit> port = Optional.empty();
        if (r.portNumber() != null) {
          port = b.number(r.portNumber().INT());
          if (port.isEmpty()) {
            yield Optional.empty();
          }
        }
        Optional<NumberLit> to = port;
        yield scheme.map(s -> new GatewayStmt.ListenMode.Redirect(s, to, b.span(r)));
      }
      default -> Optional.empty();
    };
  }

  private static Optional<GatewayStmt.ListenMode> tls(AstLeaves b, TlsListenContext ctx) {
    Optional<GatewayStmt.TlsVersion> minVersion = Optional.empty();
    List<StringLit> ciphers = new ArrayList<>();
    Optional<GatewayStmt.ClientCertificate> client = Optional.empty();
    for (TlsOptionContext option : ctx.tlsOption()) {
      switch (option) {
        case MinVersionOptionContext m -> {
          if (m.tlsVersion() == null || AstLeaves.hasErrors(m.tlsVersion())) {
            return Optional.empty();
          }
          minVersion =
              minVersion.or(
                  () ->
                      Optional.of(
                          new GatewayStmt.TlsVersion(
                              m.tlsVersion().getText(), b.span(m.tlsVersion()))));
        }
        case CiphersOptionContext c -> {
          List<StringLit> names = AstLeaves.all(c.string(), b::string);
          if (names.size() != c.string().size()) {
            return Optional.empty();
          }
          ciphers.addAll(names);
        }
        case ClientCertificateOptionContext c -> {
          Optional<StringLit> file = b.string(c.string());
          Optional<Name> mode = c.name() == null ? Optional.empty() : b.name(c.name());
          if (file.isEmpty() || (c.name() != null && mode.isEmpty())) {
            return Optional.empty();
          }
          client = Optional.of(new GatewayStmt.ClientCertificate(mode, file.get(), b.span(c)));
        }
        default -> {
          return Optional.empty();
        }
      }
    }
    return Optional.of(new GatewayStmt.ListenMode.Tls(minVersion, ciphers, client, b.span(ctx)));
  }

  static Optional<GatewayStmt> certificate(AstLeaves b, CertificateStmtContext ctx) {
    if (AstLeaves.hasErrorNodes(ctx) || ctx.certificateSource() == null) {
      return Optional.empty();
    }
    List<StringLit> names = AstLeaves.all(ctx.string(), b::string);
    if (names.isEmpty() || names.size() != ctx.string().size()) {
      return Optional.empty();
    }
    Optional<GatewayStmt.CertificateSource> source =
        switch (ctx.certificateSource()) {
          case FileCertificateContext f -> {
            Optional<StringLit> chain = b.string(f.string(0));
            Optional<StringLit> key =
                f.string().size() > 1 ? b.string(f.string(1)) : Optional.empty();
            yield chain.isPresent() && key.isPresent()
                ? Optional.of(
                    new GatewayStmt.CertificateSource.Files(chain.get(), key.get(), b.span(f)))
                : Optional.empty();
          }
          case BuiltInCertificateContext c ->
              Optional.of(new GatewayStmt.CertificateSource.BuiltInCa(b.span(c)));
          default -> Optional.empty();
        };
    return source.map(
        s ->
            new GatewayStmt.Certificate(
                names, s, b.span(ctx.start, ctx.string(names.size() - 1).stop)));
  }

  static Optional<RouteStmt> cors(AstLeaves b, CorsStmtContext ctx, Span span) {
    if (ctx.corsBody() == null || AstLeaves.hasErrorNodes(ctx)) {
      return Optional.empty();
    }
    List<RouteStmt.CorsOrigin> origins = new ArrayList<>();
    List<Name> methods = new ArrayList<>();
    List<StringLit> headers = new ArrayList<>();
    List<StringLit> expose = new ArrayList<>();
    Optional<Span> credentials = Optional.empty();
    Optional<DurationLit> maxAge = Optional.empty();
    for (CorsFieldContext field : ctx.corsBody().corsField()) {
      switch (field) {
        case CorsOriginContext o -> {
          Optional<StringLit> value = b.string(o.string());
          if (value.isEmpty()) {
            return Optional.empty();
          }
          origins.add(new RouteStmt.CorsOrigin(value.get(), o.TILDE() != null, b.span(o)));
        }
        case CorsMethodsContext m -> {
          for (TerminalNode method : m.METHOD()) {
            AstLeaves.token(method)
                .ifPresent(t -> methods.add(new Name(t.getText(), Spans.of(b.source, t))));
          }
        }
        case CorsHeadersContext h -> headers.addAll(AstLeaves.all(h.string(), b::string));
        case CorsExposeContext e -> expose.addAll(AstLeaves.all(e.string(), b::string));
        case CorsCredentialsContext c -> credentials = Optional.of(b.span(c));
        case CorsMaxAgeContext m -> {
          maxAge = b.duration(m.duration());
          if (maxAge.isEmpty()) {
            return Optional.empty();
          }
        }
        default -> {
          return Optional.empty();
        }
      }
    }
    return Optional.of(
        new RouteStmt.Cors(
            origins,
            methods,
            headers,
            expose,
            credentials,
            maxAge,
            b.span(ctx.start, ctx.CORS().getSymbol())));
  }
}
