package dev.meshgate.compiler.lower;

import dev.meshgate.compiler.ast.AccessLogSpec;
import dev.meshgate.compiler.ast.AccessLogSpec.Clause;
import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ir.AccessLogIr;
import dev.meshgate.compiler.ir.AccessLogIr.Part;
import dev.meshgate.compiler.ir.AccessLogTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * access logs (issue 15): the checked {@code access-log} of a gateway or a sidecar block (the first
 * one; the checker reported others). None written: empty, and the translation keeps Envoy's default
 * line on stdout.
 */
final class AccessLogLowering {
  private AccessLogLowering() {}

  static Optional<AccessLogIr> gateway(GatewayDecl gateway) {
    return lower(
        gateway.body().stream()
            .filter(GatewayStmt.AccessLog.class::isInstance)
            .map(s -> ((GatewayStmt.AccessLog) s).spec())
            .toList(),
        gateway.name().text());
  }

  /** {@code proxy}: the gateway's or the service's name, an OTLP log's {@code service.name}. */
  static Optional<AccessLogIr> lower(List<AccessLogSpec> specs, String proxy) {
    if (specs.isEmpty()) {
      return Optional.empty();
    }
    AccessLogSpec spec = specs.getFirst();
    AccessLogIr.Format format =
        spec.format().text().equals("json") ? AccessLogIr.Format.JSON : AccessLogIr.Format.TEXT;
    AccessLogIr.Sink sink;
    Optional<String> file = Optional.empty();
    Optional<AccessLogIr.Collector> collector = Optional.empty();
    switch (spec.sink()) {
      case AccessLogSpec.Sink.File f -> {
        sink = AccessLogIr.Sink.FILE;
        file = Optional.of(f.path().value());
      }
      case AccessLogSpec.Sink.Otlp o -> {
        sink = AccessLogIr.Sink.OTLP;
        String address = o.address().value();
        int colon = address.lastIndexOf(':');
        collector =
            Optional.of(
                new AccessLogIr.Collector(
                    address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1)),
                    proxy));
      }
      case AccessLogSpec.Sink.Stream s ->
          sink =
              s.name().text().equals("stderr") ? AccessLogIr.Sink.STDERR : AccessLogIr.Sink.STDOUT;
    }
    List<Part> parts = new ArrayList<>();
    List<Clause.Fields> fields = spec.all(Clause.Fields.class);
    if (spec.template().isPresent()) {
      parts.addAll(template(spec.template().get().value()));
    } else if (!fields.isEmpty()) {
      List<Part.Value> values =
          fields.getFirst().fields().stream().map(AccessLogLowering::value).toList();
      for (int i = 0; i < values.size(); i++) {
        if (i > 0 && format == AccessLogIr.Format.TEXT) {
          parts.add(new Part.Literal(" "));
        }
        parts.add(values.get(i));
      }
    } else if (format == AccessLogIr.Format.JSON) {
      AccessLogIr.DEFAULT_JSON_FIELDS.forEach(f -> parts.add(Part.Value.of(f)));
    }
    boolean onlyErrors = false;
    Optional<java.time.Duration> slowerThan = Optional.empty();
    for (Clause.Only only : spec.all(Clause.Only.class)) {
      if (only.kind().text().equals("errors")) {
        onlyErrors = true;
      } else if (slowerThan.isEmpty()) {
        slowerThan = only.duration().flatMap(d -> d.value());
      }
    }
    OptionalInt sample =
        spec.all(Clause.Sample.class).stream().mapToInt(s -> (int) s.percent().value()).findFirst();
    return Optional.of(
        new AccessLogIr(format, sink, file, collector, parts, onlyErrors, slowerThan, sample));
  }

  private static Part.Value value(AccessLogSpec.Field field) {
    return switch (field) {
      case AccessLogSpec.Field.Named n ->
          Part.Value.of(AccessLogIr.Field.named(n.name().text()).orElseThrow());
      case AccessLogSpec.Field.Header h ->
          header(AccessLogIr.Field.REQUEST_HEADER, h.header().value());
      case AccessLogSpec.Field.ResponseHeader h ->
          header(AccessLogIr.Field.RESPONSE_HEADER, h.header().value());
    };
  }

  private static Part.Value header(AccessLogIr.Field field, String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return new Part.Value(lower, field, Optional.of(lower));
  }

  private static List<Part> template(String template) {
    List<Part> parts = new ArrayList<>();
    for (AccessLogTemplate.Piece p : AccessLogTemplate.parse(template)) {
      switch (p) {
        case AccessLogTemplate.Piece.Text t -> parts.add(new Part.Literal(t.text()));
        case AccessLogTemplate.Piece.Placeholder ph ->
            parts.add(
                switch (ph.word()) {
                  case "header" -> header(AccessLogIr.Field.REQUEST_HEADER, ph.arg().orElseThrow());
                  case "response-header" ->
                      header(AccessLogIr.Field.RESPONSE_HEADER, ph.arg().orElseThrow());
                  default -> Part.Value.of(AccessLogIr.Field.named(ph.word()).orElseThrow());
                });
        case AccessLogTemplate.Piece.Unclosed u ->
            throw new IllegalStateException("the checker reports unclosed template fields");
      }
    }
    return parts;
  }
}
