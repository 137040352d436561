package dev.meshgate.compiler.setting;

import static dev.meshgate.compiler.setting.SettingCodes.*;

import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.compiler.ir.CorsIr;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code cors { … }}: which browser origins may call a route. Envoy: {@code translate/Cors} (the
 * CORS filter, slot {@code HttpFilters.Slot.CORS}, plus the route's policy); not simulated;
 * goldens: {@code cors/}.
 */
final class CorsSettings implements Setting<RouteStmt.Cors> {
  /** {@code scheme://host[:port]}, where host may start with {@code *.}; or {@code *} alone. */
  private static final Pattern ORIGIN =
      Pattern.compile("[a-z][a-z0-9+.-]*://(\\*\\.)?[a-z0-9.-]+(:[0-9]{1,5})?");

  @Override
  public Class<RouteStmt.Cors> node() {
    return RouteStmt.Cors.class;
  }

  @Override
  public Set<Attachment> attachments() {
    return Set.of(Attachment.ROUTE);
  }

  @Override
  public Role role() {
    return Role.ONCE;
  }

  @Override
  public void check(RouteStmt.Cors cors, SettingChecks checks) {
    if (cors.origins().isEmpty()) {
      checks.error(
          CORS_WITHOUT_ORIGIN,
          cors.span(),
          "cors allows no origin, so every cross-origin request is refused; add one like"
              + " `origin \"https://app.example.com\"`");
    }
    for (RouteStmt.CorsOrigin origin : cors.origins()) {
      String value = origin.value().value();
      if (origin.regex()) {
        try {
          Pattern.compile(value);
        } catch (PatternSyntaxException e) {
          checks.error(
              INVALID_ORIGIN_REGEX,
              origin.value().span(),
              "invalid origin regex: " + e.getDescription());
        }
      } else if (!value.equals("*") && !ORIGIN.matcher(value).matches()) {
        checks.error(
            CORS_INVALID_ORIGIN,
            origin.value().span(),
            "origin \""
                + value
                + "\" is not an origin; write scheme://host[:port] like"
                + " \"https://app.example.com\", \"https://*.example.com\", or \"*\" for any origin"
                + " (a browser sends no path and no trailing slash)");
      }
      if (cors.credentials().isPresent() && !origin.regex() && value.equals("*")) {
        checks.error(
            CORS_WILDCARD_WITH_CREDENTIALS,
            origin.value().span(),
            "cors allows credentials from any origin (\"*\"): every web site could make"
                + " requests with its visitors' cookies; list the origins you trust instead");
      }
    }
    cors.headers().forEach(checks::headerName);
    cors.exposeHeaders().forEach(checks::headerName);
    cors.maxAge().ifPresent(checks::duration);
  }

  @Override
  public void lower(RouteStmt.Cors cors, RouteParts parts) {
    parts.cors(
        new CorsIr(
            cors.origins().stream().map(CorsSettings::origin).toList(),
            cors.methods().stream().map(Name::text).distinct().toList(),
            cors.headers().stream().map(StringLit::value).distinct().toList(),
            cors.exposeHeaders().stream().map(StringLit::value).distinct().toList(),
            cors.credentials().isPresent(),
            cors.maxAge().flatMap(d -> d.value())));
  }

  /** Exact text stays exact; a {@code *} wildcard becomes a regex for one or more DNS labels. */
  private static CorsIr.Origin origin(RouteStmt.CorsOrigin origin) {
    String value = origin.value().value();
    if (origin.regex()) {
      return new CorsIr.Origin(true, value);
    }
    if (value.equals("*")) {
      return new CorsIr.Origin(true, ".*");
    }
    if (value.contains("*")) {
      StringBuilder re = new StringBuilder();
      for (String part : value.split("\\*", -1)) {
        if (!re.isEmpty()) {
          re.append("[a-z0-9-]+(\\.[a-z0-9-]+)*");
        }
        re.append(part.replace(".", "\\.").replace("+", "\\+"));
      }
      return new CorsIr.Origin(true, re.toString());
    }
    return new CorsIr.Origin(false, value);
  }
}
