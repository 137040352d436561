package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.Durations;
import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.DurationLit;
import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.NumberLit;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.StringLit;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks of single values that every area uses: names, ports, addresses, durations, paths, … */
final class Values {
  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

  /** RFC 9110 token characters, lower case only: Envoy stores header names lower-cased. */
  private static final Pattern HEADER_NAME = Pattern.compile("[a-z0-9!#$%&'*+.^_`|~-]+");

  static final Pattern IPV4 = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)\\.(\\d+)");

  private final CheckContext cx;

  Values(CheckContext cx) {
    this.cx = cx;
  }

  private void error(String code, Span span, String message) {
    cx.error(code, span, message);
  }

  void name(Name name, String what) {
    if (!NAME.matcher(name.text()).matches()) {
      error(
          INVALID_NAME,
          name.span(),
          "invalid "
              + what
              + " name \""
              + name.text()
              + "\"; names use lower-case letters, digits and '-', and start with a letter");
    }
  }

  void port(NumberLit port) {
    if (port.value() < 1 || port.value() > 65535) {
      error(
          PORT_OUT_OF_RANGE,
          port.span(),
          "port " + port.text() + " is out of range; use a port from 1 to 65535");
    }
  }

  void address(String address, Span span) {
    var m = IPV4.matcher(address);
    if (m.matches()) {
      for (int i = 1; i <= 4; i++) {
        if (m.group(i).length() > 3 || Integer.parseInt(m.group(i)) > 255) {
          error(
              INVALID_ADDRESS,
              span,
              "invalid IP address " + address + "; each part must be from 0 to 255");
          return;
        }
      }
    }
  }

  void duration(DurationLit d) {
    String unit = d.unit();
    if (!Durations.UNITS.contains(unit)) {
      error(
          UNKNOWN_DURATION_UNIT,
          d.span(),
          "unknown duration unit \""
              + unit
              + "\" in "
              + d.text()
              + "; use ms, s, m, h or d, like 250ms, 2s, 5m, 2h or 7d");
      return;
    }
    Optional<Duration> value = d.value();
    if (value.isEmpty()) {
      error(
          DURATION_OUT_OF_RANGE,
          d.span(),
          "duration " + d.text() + " is too long; the longest allowed is 365 days");
    } else if (value.get().isZero()) {
      error(
          DURATION_OUT_OF_RANGE,
          d.span(),
          "duration " + d.text() + " is zero; a duration must be at least 1ms");
    }
  }

  void path(RouteDecl.PathPattern.Literal path, boolean regexAllowed) {
    String p = path.text();
    String fixed = p.endsWith("/**") ? p.substring(0, p.length() - 3) : p;
    if (fixed.contains("*")) {
      error(
          INVALID_PATH,
          path.span(),
          "invalid path "
              + p
              + ": '*' may only appear as a final /**, as in /api/**"
              + (regexAllowed ? "; use ~ \"regex\" for other patterns" : ""));
    }
  }

  /** HTTP header names are case-insensitive: {@code X-Canary} is {@code x-canary}. */
  void headerName(StringLit name) {
    String n = name.value().toLowerCase(java.util.Locale.ROOT);
    if (!HEADER_NAME.matcher(n).matches()) {
      error(
          INVALID_HEADER_NAME,
          name.span(),
          "invalid header name \""
              + name.value()
              + "\"; header names use letters, digits and - _ . ! # $ % & ' * + ^ ` | ~ (no"
              + " spaces), case-insensitive");
    }
  }

  /**
   * Envoy uses RE2: {@link RegexSyntax} checks by RE2's rules (RE2/J), never running a JDK regex
   * built from policy text (issue 9).
   */
  void regex(StringLit lit) {
    RegexSyntax.check(lit.value())
        .ifPresent(p -> error(INVALID_REGEX, insideString(lit, p.index()), p.message()));
  }

  /** The span of character {@code index} of a string's value, mapped back through escapes. */
  private static Span insideString(StringLit lit, int index) {
    String raw = lit.raw();
    int rawPos = 1;
    for (int i = 0; i < index && rawPos < raw.length(); i++) {
      if (raw.charAt(rawPos) == '\\'
          && rawPos + 1 < raw.length()
          && (raw.charAt(rawPos + 1) == '"' || raw.charAt(rawPos + 1) == '\\')) {
        rawPos++;
      }
      rawPos++;
    }
    Span s = lit.span();
    int column = s.column() + Math.min(rawPos, Math.max(0, raw.length() - 1));
    return new Span(s.file(), s.line(), column, 1);
  }

  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
