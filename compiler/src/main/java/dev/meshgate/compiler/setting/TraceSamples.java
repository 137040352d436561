package dev.meshgate.compiler.setting;

import static dev.meshgate.compiler.setting.SettingCodes.*;

import dev.meshgate.compiler.ast.NumberLit;
import dev.meshgate.compiler.ast.RouteStmt;
import java.util.Set;

/**
 * tracing (issue 15): {@code trace sample 100%}: the share of a route's (or call's) requests the
 * proxy traces, instead of the {@code sample} of its {@code tracing} block. Envoy: the route's
 * {@code tracing.random_sampling} ({@code translate/Tracing}); that a {@code tracing} block is in
 * scope is {@code check/TracingChecks}; not simulated (tracing changes no outcome); goldens: {@code
 * tracing/}.
 */
final class TraceSamples implements Setting<RouteStmt.TraceSample> {
  @Override
  public Class<RouteStmt.TraceSample> node() {
    return RouteStmt.TraceSample.class;
  }

  @Override
  public Set<Attachment> attachments() {
    return Set.of(Attachment.GATEWAY, Attachment.HOST, Attachment.ROUTE, Attachment.CALL);
  }

  @Override
  public Role role() {
    return Role.ONCE;
  }

  @Override
  public void check(RouteStmt.TraceSample t, SettingChecks checks) {
    percent(t.percent(), checks);
  }

  /** A sample is a whole percentage from 0% (never) to 100% (every request). */
  static void percent(NumberLit percent, SettingChecks checks) {
    if (percent.value() > 100) {
      checks.error(
          TRACE_SAMPLE_RANGE,
          percent.span(),
          "a sample is a share of requests from 0% to 100%, found " + percent.text() + "%");
    }
  }

  @Override
  public void lower(RouteStmt.TraceSample t, RouteParts parts) {
    parts.traceSample((int) t.percent().value());
  }
}
