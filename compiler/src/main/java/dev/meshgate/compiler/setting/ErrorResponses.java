package dev.meshgate.compiler.setting;

import static dev.meshgate.compiler.setting.SettingCodes.*;

import dev.meshgate.compiler.ast.Name;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ir.ErrorResponseIr;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * custom responses (issue 13): {@code error-response 5xx, 404 json "{…}"}, {@code error-response
 * 5xx html file "errors/5xx.html"} or {@code error-response off}, on a gateway, host or route.
 * Every status keeps the response of the most specific place that names it (a route's {@code 404}
 * over its host's {@code 4xx} over the gateway's); {@code off} inherits none. Envoy: {@code
 * translate/CustomResponses} (the custom_response filter, per route, and the listener's local reply
 * config for requests no route matches); not simulated (the status, which is what {@code test}
 * checks, stays the same); goldens: {@code custom-responses/}.
 */
final class ErrorResponses implements Setting<RouteStmt.ErrorResponse> {
  /** A status code 400-599, or a class. */
  private static final Pattern STATUS = Pattern.compile("[45](xx|[0-9][0-9])");

  @Override
  public Class<RouteStmt.ErrorResponse> node() {
    return RouteStmt.ErrorResponse.class;
  }

  @Override
  public Set<Attachment> attachments() {
    return Set.of(Attachment.GATEWAY, Attachment.HOST, Attachment.ROUTE);
  }

  @Override
  public Role role() {
    return Role.REPEATABLE;
  }

  @Override
  public void check(RouteStmt.ErrorResponse e, SettingChecks checks) {
    List<RouteStmt.ErrorResponse> all = checks.all(RouteStmt.ErrorResponse.class);
    if (e.off()) {
      if (!e.format().text().equals("off")) {
        checks.error(
            ERROR_FORMAT,
            e.format().span(),
            "`error-response "
                + e.format().text()
                + "` needs statuses and a body, like `error-response 5xx json \"{…}\"`; or write"
                + " `error-response off` to inherit no error responses here");
      } else if (all.size() > 1 && all.getFirst() == e) {
        checks.error(
            ERROR_OFF_WITH_RESPONSES,
            e.span(),
            "`error-response off` drops the error responses inherited here, but this place also"
                + " writes its own; keep either `off` or the error responses");
      }
      return;
    }
    if (checks.where() == Attachment.ROUTE && !checks.forwards()) {
      checks.warning(
          ERROR_RESPONSE_UNUSED,
          e.span(),
          "this route answers itself (respond or redirect), and its own answer is never replaced:"
              + " this error-response does nothing; remove it");
    }
    checkStatuses(e, all, checks);
    Optional<ErrorResponseIr.Format> format = format(e.format().text());
    if (format.isEmpty()) {
      checks.error(
          ERROR_FORMAT,
          e.format().span(),
          "unknown error response format \""
              + e.format().text()
              + "\"; use json (application/json), html (text/html) or text (text/plain)");
    }
    e.body().ifPresent(b -> ErrorBodies.check(b, format, checks));
  }

  /** Codes 400-599 and classes; none named twice in one place. */
  private static void checkStatuses(
      RouteStmt.ErrorResponse e, List<RouteStmt.ErrorResponse> all, SettingChecks checks) {
    Map<String, Name> seen = new HashMap<>();
    for (RouteStmt.ErrorResponse earlier : all) {
      for (Name status : earlier.statuses()) {
        String s = status.text().toLowerCase(java.util.Locale.ROOT);
        if (earlier == e && !STATUS.matcher(s).matches()) {
          checks.error(
              ERROR_STATUS,
              status.span(),
              "\""
                  + status.text()
                  + "\" is not an error status; write a code from 400 to 599 like 404, or a class:"
                  + " 4xx, 5xx");
          continue;
        }
        Name first = seen.putIfAbsent(s, status);
        if (first != null && earlier == e) {
          checks.error(
              ERROR_DUPLICATE_STATUS,
              status.span(),
              "status "
                  + s
                  + " already has an error response here ("
                  + checks.at(first.span())
                  + "); keep one of them");
        }
      }
      if (earlier == e) {
        return;
      }
    }
  }

  static Optional<ErrorResponseIr.Format> format(String word) {
    for (ErrorResponseIr.Format f : ErrorResponseIr.Format.values()) {
      if (f.word().equals(word)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  @Override
  public void lower(RouteStmt.ErrorResponse e, RouteParts parts) {
    if (e.off()) {
      parts.errorResponsesOff();
      return;
    }
    ErrorResponseIr.Format format = format(e.format().text()).orElseThrow();
    String body = ErrorBodies.text(e.body().orElseThrow());
    for (Name status : e.statuses()) {
      parts.errorResponse(
          new ErrorResponseIr(
              status.text().toLowerCase(java.util.Locale.ROOT), format, body, e.span().toString()));
    }
  }
}
