package dev.meshgate.compiler.ir;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The access-log part (issue 15) of the {@code .ir.yaml} goldens. */
final class AccessLogYaml {
  private AccessLogYaml() {}

  static Map<String, Object> accessLog(AccessLogIr a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", a.format().name().toLowerCase(Locale.ROOT));
    m.put(
        "to",
        a.file()
            .map(f -> "file " + f)
            .or(() -> a.collector().map(c -> "otlp " + c.host() + ":" + c.port()))
            .orElse(a.sink().name().toLowerCase(Locale.ROOT)));
    a.collector().ifPresent(c -> m.put("service-name", c.serviceName()));
    if (a.format() == AccessLogIr.Format.JSON) {
      m.put(
          "fields",
          a.parts().stream()
              .map(p -> p instanceof AccessLogIr.Part.Value v ? field(v) : "")
              .toList());
    } else if (!a.parts().isEmpty()) {
      StringBuilder line = new StringBuilder();
      a.parts()
          .forEach(p -> {
            switch (p) {
              case AccessLogIr.Part.Literal l -> line.append(l.text());
              case AccessLogIr.Part.Value v -> line.append('%').append(field(v)).append('%');
            }
          });
      m.put("line", line.toString());
    }
    if (a.onlyErrors()) {
      m.put("only-errors", true);
    }
    a.slowerThan().ifPresent(d -> m.put("only-slower-than", IrYaml.duration(d)));
    a.samplePercent().ifPresent(p -> m.put("sample", p + "%"));
    return m;
  }

  private static String field(AccessLogIr.Part.Value v) {
    return v.header().map(h -> v.field().word() + ":" + h).orElse(v.field().word());
  }
}
