package dev.meshgate.compiler.setting;

import dev.meshgate.compiler.ast.ClusterStmt;
import dev.meshgate.compiler.ast.ClusterStmt.Field;
import dev.meshgate.compiler.ast.NumberLit;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code name value} fields of a cluster setting's block: which fields a statement takes, the
 * kind of value each holds and its smallest sensible value. Checking reports unknown, repeated,
 * wrongly typed and out-of-range fields; lowering reads the first of each name (checked).
 */
final class ClusterFields {
  /** Envoy's thresholds and counts are uint32. */
  static final long MAX_COUNT = 4_294_967_295L;

  enum Kind {
    COUNT("a count, like 100"),
    PERCENT("a percentage, like 20%"),
    DURATION("a duration, like 10s"),
    STATUS("an HTTP status, like 200");

    final String example;

    Kind(String example) {
      this.example = example;
    }
  }

  /** A field a statement takes. */
  record Spec(String name, Kind kind, long min) {
    static Spec count(String name, long min) {
      return new Spec(name, Kind.COUNT, min);
    }

    static Spec percent(String name, long min) {
      return new Spec(name, Kind.PERCENT, min);
    }

    static Spec duration(String name) {
      return new Spec(name, Kind.DURATION, 1);
    }

    static Spec status(String name) {
      return new Spec(name, Kind.STATUS, 200);
    }
  }

  private final Map<String, Field> fields;

  private ClusterFields(Map<String, Field> fields) {
    this.fields = fields;
  }

  /** The first field of each name, for lowering a checked statement. */
  static ClusterFields of(List<Field> written) {
    Map<String, Field> first = new LinkedHashMap<>();
    written.forEach(f -> first.putIfAbsent(f.name().text(), f));
    return new ClusterFields(first);
  }

  /** Checks every field of a statement against the specs it takes. */
  static void check(String keyword, List<Field> written, List<Spec> specs, ClusterChecks checks) {
    Map<String, Spec> known = new LinkedHashMap<>();
    specs.forEach(s -> known.put(s.name(), s));
    Map<String, Field> seen = new LinkedHashMap<>();
    for (Field f : written) {
      String name = f.name().text();
      Spec spec = known.get(name);
      if (spec == null) {
        checks.error(
            SettingCodes.UNKNOWN_CLUSTER_FIELD,
            f.name().span(),
            keyword + " has no field \"" + name + "\"; " + checks.hint(name, known.keySet()));
        continue;
      }
      Field before = seen.putIfAbsent(name, f);
      if (before != null) {
        checks.error(
            SettingCodes.DUPLICATE_CLUSTER_FIELD,
            f.name().span(),
            name
                + " is written twice in this "
                + keyword
                + "; the first is at "
                + checks.at(before.span()));
        continue;
      }
      value(keyword, spec, f.value(), checks);
    }
  }

  private static void value(
      String keyword, Spec spec, ClusterStmt.Value value, ClusterChecks checks) {
    switch (spec.kind()) {
      case DURATION -> {
        if (value instanceof ClusterStmt.Duration d) {
          checks.duration(d.duration());
          return;
        }
      }
      case COUNT, STATUS -> {
        if (value instanceof ClusterStmt.Count c) {
          long max = spec.kind() == Kind.STATUS ? 599 : MAX_COUNT;
          range(spec, c.number(), c.span(), max, "", checks);
          return;
        }
      }
      case PERCENT -> {
        if (value instanceof ClusterStmt.Percent p) {
          range(spec, p.number(), p.span(), 100, "%", checks);
          return;
        }
      }
    }
    checks.error(
        SettingCodes.CLUSTER_FIELD_VALUE,
        value.span(),
        keyword + " " + spec.name() + " takes " + spec.kind().example + ", not " + value.text());
  }

  private static void range(
      Spec spec,
      NumberLit n,
      dev.meshgate.compiler.Span at,
      long max,
      String unit,
      ClusterChecks checks) {
    if (n.value() < spec.min() || n.value() > max) {
      checks.error(
          SettingCodes.CLUSTER_VALUE_RANGE,
          at,
          spec.name()
              + " "
              + n.text()
              + unit
              + " is out of range; it takes "
              + spec.min()
              + unit
              + " to "
              + max
              + unit);
    }
  }

  Optional<Field> field(String name) {
    return Optional.ofNullable(fields.get(name));
  }

  long count(String name, long otherwise) {
    return field(name)
        .map(f -> f.value() instanceof ClusterStmt.Count c ? c.number().value() : otherwise)
        .orElse(otherwise);
  }

  int percent(String name, int otherwise) {
    return field(name)
        .map(f -> f.value() instanceof ClusterStmt.Percent p ? (int) p.number().value() : otherwise)
        .orElse(otherwise);
  }

  Duration duration(String name, Duration otherwise) {
    return field(name)
        .flatMap(
            f ->
                f.value() instanceof ClusterStmt.Duration d
                    ? d.duration().value()
                    : Optional.empty())
        .orElse(otherwise);
  }
}
