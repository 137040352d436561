package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.AccessLogSpec;
import dev.meshgate.compiler.ast.AccessLogSpec.Clause;
import dev.meshgate.compiler.ast.AccessLogSpec.Field;
import dev.meshgate.compiler.ast.Decl;
import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.PolicyFile;
import dev.meshgate.compiler.ast.ServiceDecl;
import dev.meshgate.compiler.ast.ServiceStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.compiler.ir.AccessLogIr;
import dev.meshgate.compiler.ir.AccessLogTemplate;
import dev.meshgate.compiler.ir.AccessLogTemplate.Piece;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * access logs (issue 15): {@code access-log} on a gateway or in a sidecar block. Words are judged
 * here (format, destination, fields, filters), file paths must be absolute, and headers that carry
 * credentials are refused: secrets never reach a log.
 */
final class AccessLogChecks {
  /** Headers that carry credentials in every deployment; refused as log fields. */
  static final Set<String> SECRET_HEADERS =
      Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");

  private static final List<String> FORMATS = List.of("json", "text");
  private static final List<String> STREAMS = List.of("stdout", "stderr");
  private static final String OTLP = "otlp";
  private static final List<String> STREAMS_AND_OTLP = List.of("stdout", "stderr", OTLP);
  private static final List<String> FILTERS = List.of("errors", "slower-than");

  private final CheckContext cx;
  private final Values values;

  AccessLogChecks(CheckContext cx) {
    this.cx = cx;
    this.values = new Values(cx);
  }

  void run() {
    for (PolicyFile file : cx.files) {
      cx.current = file;
      for (Decl decl : file.decls()) {
        switch (decl) {
          case GatewayDecl g ->
              block(
                  g.body().stream()
                      .filter(GatewayStmt.AccessLog.class::isInstance)
                      .map(s -> ((GatewayStmt.AccessLog) s).spec())
                      .toList(),
                  "gateway \"" + g.name().text() + "\"",
                  tokenHeaders(g));
          case ServiceDecl s ->
              s.body().stream()
                  .filter(ServiceStmt.Sidecar.class::isInstance)
                  .map(ServiceStmt.Sidecar.class::cast)
                  .forEach(sc ->
                      block(
                          sc.accessLogs(), "the sidecar of \"" + s.name().text() + "\"", Set.of()));
          default -> {}
        }
      }
    }
  }

  /** The headers the gateway's JWT providers read tokens from: credentials too. */
  private static Set<String> tokenHeaders(GatewayDecl g) {
    Set<String> headers = new TreeSet<>();
    g.body().stream()
        .filter(GatewayStmt.JwtProvider.class::isInstance)
        .flatMap(
            p -> ((GatewayStmt.JwtProvider) p).all(GatewayStmt.JwtField.FromHeader.class).stream())
        .forEach(h -> headers.add(h.header().value().toLowerCase(Locale.ROOT)));
    return headers;
  }

  private void block(List<AccessLogSpec> logs, String proxy, Set<String> tokenHeaders) {
    for (int i = 0; i < logs.size(); i++) {
      AccessLogSpec log = logs.get(i);
      if (i > 0) {
        cx.error(
            DUPLICATE_ACCESS_LOG,
            log.span(),
            proxy
                + " already has an access-log (at "
                + cx.at(logs.getFirst().span())
                + "); a proxy writes one log, keep one and put every field in it");
      }
      spec(log, tokenHeaders);
    }
  }

  private void spec(AccessLogSpec log, Set<String> tokenHeaders) {
    String format = log.format().text();
    boolean json = format.equals("json");
    if (!FORMATS.contains(format)) {
      cx.error(
          UNKNOWN_ACCESS_LOG_WORD,
          log.format().span(),
          "unknown access-log format \""
              + format
              + "\"; "
              + hint(format, FORMATS, "write json or text"));
    }
    sink(log.sink());
    List<Clause.Fields> fields = log.all(Clause.Fields.class);
    log.template()
        .ifPresent(t -> {
          if (json) {
            cx.error(
                ACCESS_LOG_TEMPLATE,
                t.span(),
                "a json access-log names its fields in `fields …`, not in a template; remove"
                    + " the string, or write `access-log text \"…\"`");
          } else {
            template(t, tokenHeaders);
            if (!fields.isEmpty()) {
              cx.error(
                  ACCESS_LOG_TEMPLATE,
                  fields.getFirst().span(),
                  "this text access-log has a template, which names its fields itself; remove"
                      + " `fields`, or remove the template to log the fields separated by"
                      + " spaces");
            }
          }
        });
    Map<String, Span> seenKeys = new HashMap<>();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        repeated(fields.get(i).span(), "fields", fields.getFirst().span());
      }
      for (Field f : fields.get(i).fields()) {
        field(f, tokenHeaders, seenKeys);
      }
    }
    Map<String, Span> filters = new HashMap<>();
    for (Clause.Only only : log.all(Clause.Only.class)) {
      only(only, filters);
    }
    List<Clause.Sample> samples = log.all(Clause.Sample.class);
    for (int i = 0; i < samples.size(); i++) {
      Clause.Sample s = samples.get(i);
      if (i > 0) {
        repeated(s.span(), "sample", samples.getFirst().span());
      } else if (s.percent().value() > 100) {
        cx.error(
            ACCESS_LOG_SAMPLE,
            s.percent().span(),
            "sample "
                + s.percent().text()
                + "% is out of range; write a share from 0% (log nothing) to 100% (log every"
                + " request)");
      }
    }
  }

  private void sink(AccessLogSpec.Sink sink) {
    switch (sink) {
      case AccessLogSpec.Sink.Stream s -> {
        String word = s.name().text();
        if (word.equals(OTLP)) {
          cx.error(
              ACCESS_LOG_OTLP_ADDRESS,
              s.span(),
              "`to otlp` needs the collector's address; write `to otlp \"127.0.0.1:4317\"` (an"
                  + " OTLP/gRPC receiver, e.g. an OpenTelemetry Collector on 4317)");
        } else if (!STREAMS.contains(word)) {
          cx.error(
              UNKNOWN_ACCESS_LOG_WORD,
              s.name().span(),
              "unknown access-log destination \""
                  + word
                  + "\"; "
                  + hint(
                      word,
                      STREAMS_AND_OTLP,
                      "write stdout, stderr, file \"/absolute/path\" or otlp \"HOST:PORT\""));
        }
      }
      case AccessLogSpec.Sink.Otlp o -> {
        String word = o.name().text();
        if (!word.equals(OTLP)) {
          cx.error(
              UNKNOWN_ACCESS_LOG_WORD,
              o.name().span(),
              "unknown access-log destination \""
                  + word
                  + "\" before an address; "
                  + hint(word, List.of(OTLP), "write `to otlp \"HOST:PORT\"`"));
        } else if (!TracingChecks.hostPort(o.address().value())) {
          cx.error(
              ACCESS_LOG_OTLP_ADDRESS,
              o.address().span(),
              "access-log collector "
                  + o.address().raw()
                  + " is not HOST:PORT; write the OTLP/gRPC receiver's address like"
                  + " \"127.0.0.1:4317\" or \"otel-collector.internal:4317\" (no scheme, no"
                  + " path)");
        }
      }
      case AccessLogSpec.Sink.File f -> {
        String path = f.path().value();
        if (!path.startsWith("/") || path.endsWith("/") || path.contains("/../")) {
          cx.error(
              ACCESS_LOG_FILE_PATH,
              f.path().span(),
              "access-log file \""
                  + path
                  + "\" is not an absolute file path; Envoy would resolve it against its own"
                  + " working directory, which differs between proxies; write a path like"
                  + " \"/var/log/envoy/edge.log\"");
        }
      }
    }
  }

  private void field(Field f, Set<String> tokenHeaders, Map<String, Span> seen) {
    String key;
    switch (f) {
      case Field.Named n -> {
        key = n.name().text();
        if (AccessLogIr.Field.named(key).isEmpty()) {
          unknownField(key, n.span());
          return;
        }
      }
      case Field.Header h -> {
        key = header(h.header(), tokenHeaders);
      }
      case Field.ResponseHeader h -> {
        key = header(h.header(), tokenHeaders);
      }
    }
    Span before = seen.putIfAbsent(key, f.span());
    if (before != null) {
      cx.error(
          ACCESS_LOG_REPEATED,
          f.span(),
          "field \"" + key + "\" is already logged (at " + cx.at(before) + "); name it once");
    }
  }

  private String header(StringLit name, Set<String> tokenHeaders) {
    values.headerName(name);
    String key = name.value().toLowerCase(Locale.ROOT);
    secret(key, name.span(), tokenHeaders);
    return key;
  }

  private void secret(String header, Span span, Set<String> tokenHeaders) {
    if (SECRET_HEADERS.contains(header)) {
      cx.error(
          ACCESS_LOG_SECRET,
          span,
          "header \""
              + header
              + "\" carries credentials, and secrets never go to a log; log who the caller is"
              + " instead (a claim copied to a header with `claim \"sub\" to-header \"x-user\"`)");
    } else if (tokenHeaders.contains(header)) {
      cx.error(
          ACCESS_LOG_SECRET,
          span,
          "header \""
              + header
              + "\" carries the gateway's JWTs (a jwt-provider reads tokens from it), and"
              + " secrets never go to a log; log a claim copied to a header instead");
    }
  }

  private void unknownField(String word, Span span) {
    cx.error(
        UNKNOWN_ACCESS_LOG_WORD,
        span,
        "unknown access-log field \""
            + word
            + "\"; "
            + hint(
                word,
                AccessLogIr.Field.words(),
                "fields: "
                    + String.join(", ", AccessLogIr.Field.words())
                    + ", header \"…\", response-header \"…\""));
  }

  private void template(StringLit t, Set<String> tokenHeaders) {
    for (Piece p : AccessLogTemplate.parse(t.value())) {
      switch (p) {
        case Piece.Text x -> {}
        case Piece.Unclosed u ->
            cx.error(
                ACCESS_LOG_TEMPLATE,
                inside(t, u.offset(), 1),
                "this '%' opens a field that is never closed; write fields like %status% or"
                    + " %header:x-user%");
        case Piece.Placeholder ph -> {
          Span at = inside(t, ph.offset(), ph.length());
          boolean header = ph.word().equals("header") || ph.word().equals("response-header");
          if (header) {
            String name = ph.arg().orElse("").toLowerCase(Locale.ROOT);
            if (name.isEmpty() || !name.matches("[a-z0-9!#$&'*+.^_`|~-]+")) {
              cx.error(
                  ACCESS_LOG_TEMPLATE,
                  at,
                  "%"
                      + ph.word()
                      + ":…% needs a header name after the colon, like %"
                      + ph.word()
                      + ":x-user%");
            } else {
              secret(name, at, tokenHeaders);
            }
          } else if (AccessLogIr.Field.named(ph.word()).isEmpty() || ph.arg().isPresent()) {
            unknownField(ph.arg().map(a -> ph.word() + ":" + a).orElse(ph.word()), at);
          }
        }
      }
    }
  }

  private void only(Clause.Only only, Map<String, Span> seen) {
    String word = only.kind().text();
    if (!FILTERS.contains(word)) {
      cx.error(
          UNKNOWN_ACCESS_LOG_WORD,
          only.kind().span(),
          "unknown access-log filter \""
              + word
              + "\"; "
              + hint(word, FILTERS, "write `only errors` or `only slower-than 500ms`"));
      return;
    }
    Span before = seen.putIfAbsent(word, only.span());
    if (before != null) {
      repeated(only.span(), "only " + word, before);
      return;
    }
    if (word.equals("errors") && only.duration().isPresent()) {
      cx.error(
          ACCESS_LOG_FILTER,
          only.duration().get().span(),
          "`only errors` takes no duration; for slow requests add a line `only slower-than "
              + only.duration().get().text()
              + "`");
    } else if (word.equals("slower-than")) {
      if (only.duration().isEmpty()) {
        cx.error(
            ACCESS_LOG_FILTER,
            only.span(),
            "`only slower-than` needs a duration, like `only slower-than 500ms`");
      } else {
        values.duration(only.duration().get());
      }
    }
  }

  private void repeated(Span span, String clause, Span first) {
    cx.error(
        ACCESS_LOG_REPEATED,
        span,
        "`"
            + clause
            + "` is already written in this access-log (at "
            + cx.at(first)
            + "); keep one");
  }

  private static String hint(String word, List<String> known, String otherwise) {
    List<String> near = NearestNames.nearest(word, known);
    return near.isEmpty()
        ? otherwise
        : "did you mean "
            + String.join(" or ", near.stream().map(n -> "\"" + n + "\"").toList())
            + "?";
  }

  /** The span of characters {@code [offset, offset + length)} of a string without escapes. */
  private static Span inside(StringLit lit, int offset, int length) {
    Span s = lit.span();
    return new Span(s.file(), s.line(), s.column() + 1 + offset, length);
  }
}
