package dev.meshgate.compiler.format;

import dev.meshgate.compiler.ast.AccessLogSpec;
import dev.meshgate.compiler.ast.AccessLogSpec.Clause;
import dev.meshgate.compiler.ast.AccessLogSpec.Field;
import java.util.stream.Collectors;

/** The canonical text of {@code access-log} (issue 15). */
final class AccessLogLayout {
  private AccessLogLayout() {}

  static Layout.Item item(Layout layout, AccessLogSpec spec) {
    String header =
        "access-log "
            + spec.format().text()
            + spec.template().map(t -> " " + Layout.quote(t.value())).orElse("")
            + " to "
            + switch (spec.sink()) {
              case AccessLogSpec.Sink.Stream s -> s.name().text();
              case AccessLogSpec.Sink.File f -> "file " + Layout.quote(f.path().value());
              case AccessLogSpec.Sink.Otlp o ->
                  o.name().text() + " " + Layout.quote(o.address().value());
            };
    if (!spec.hasBody()) {
      return new Layout.Line(Pos.of(spec.span()), header);
    }
    return layout.block(
        spec.span(),
        header,
        spec.clauses().stream()
            .map(c -> (Layout.Item) new Layout.Line(Pos.of(c.span()), clause(c)))
            .toList(),
        Layout.Block.Kind.PLAIN);
  }

  private static String clause(Clause c) {
    return switch (c) {
      case Clause.Fields f ->
          "fields "
              + f.fields().stream().map(AccessLogLayout::field).collect(Collectors.joining(", "));
      case Clause.Only o ->
          "only " + o.kind().text() + o.duration().map(d -> " " + d.text()).orElse("");
      case Clause.Sample s -> "sample " + s.percent().text() + "%";
    };
  }

  private static String field(Field f) {
    return switch (f) {
      case Field.Named n -> n.name().text();
      case Field.Header h -> "header " + Layout.quote(h.header().value());
      case Field.ResponseHeader h -> "response-header " + Layout.quote(h.header().value());
    };
  }
}
