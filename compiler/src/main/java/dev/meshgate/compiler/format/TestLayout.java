package dev.meshgate.compiler.format;

import dev.meshgate.compiler.ast.ExpectStmt;
import java.util.List;

/** The lines of a policy test's {@code expect} statements. */
final class TestLayout {
  private TestLayout() {}

  static String expect(ExpectStmt e) {
    StringBuilder sb = new StringBuilder("expect ");
    e.burst().ifPresent(n -> sb.append("burst ").append(n.text()).append(' '));
    switch (e.request()) {
      case ExpectStmt.Request.Gateway g -> {
        g.method().ifPresent(m -> sb.append(m.text()).append(' '));
        // Host and path are written glued, like a URL without its scheme.
        sb.append(g.host().quoted() ? Layout.quote(g.host().text()) : g.host().text())
            .append(g.path().text())
            .append(" via ")
            .append(g.gateway().text());
      }
      case ExpectStmt.Request.Call c -> {
        sb.append(c.caller().text()).append(" -> ").append(c.callee().text());
        c.method().ifPresent(m -> sb.append(' ').append(m.text()));
        if (c.pathWritten()) {
          sb.append(' ').append(c.path().text());
        }
      }
    }
    for (ExpectStmt.Option option : e.options()) {
      sb.append(
          switch (option) {
            case ExpectStmt.Option.Header h ->
                " with header "
                    + Layout.quote(h.name().value())
                    + " = "
                    + Layout.quote(h.value().value());
            case ExpectStmt.Option.Query q ->
                " with query "
                    + Layout.quote(q.name().value())
                    + " = "
                    + Layout.quote(q.value().value());
            case ExpectStmt.Option.Jwt j -> JwtLayout.withJwt(j);
            case ExpectStmt.Option.ApiKey k -> ApiKeyLayout.withApiKey(k);
            case ExpectStmt.Option.BasicAuth b -> BasicAuthLayout.withBasicAuth(b);
          });
    }
    sb.append(" => ")
        .append(
            switch (e.outcome()) {
              case ExpectStmt.Outcome.Targets t -> Layout.targets(t.targets());
              case ExpectStmt.Outcome.Status s -> s.status().text();
              case ExpectStmt.Outcome.Fault f -> "fault " + f.status().text();
              case ExpectStmt.Outcome.Redirect r ->
                  "redirect " + r.status().text() + " " + Layout.quote(r.location().value());
              case ExpectStmt.Outcome.Verdict v -> v.word().text();
            });
    return sb.toString();
  }

  /** {@code with request-header "n" = "v"}, … : what an expectation checks besides the outcome. */
  static List<String> checks(ExpectStmt e) {
    return e.checks().stream()
        .map(c ->
            "with "
                + Layout.direction(c.response())
                + " "
                + Layout.quote(c.name().value())
                + " = "
                + Layout.quote(c.value().value()))
        .toList();
  }
}
