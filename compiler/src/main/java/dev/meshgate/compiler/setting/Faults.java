package dev.meshgate.compiler.setting;

import static dev.meshgate.compiler.setting.SettingCodes.*;

import dev.meshgate.compiler.ast.NumberLit;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.compiler.ir.RouteActionIr;
import java.util.Optional;
import java.util.Set;

/**
 * {@code fault delay 2s 10% [when header "h"]}, {@code fault abort [grpc] 503 10% [when header
 * "h"]}: chaos testing. Each kind at most once per route or call (its keyword is {@code fault
 * delay} or {@code fault abort}). Envoy: the fault filter ({@code HttpFilters.Slot.FAULT}) with the
 * route's own config ({@code translate/Faults}); simulator: a 100% abort answers its status;
 * goldens: {@code faults/}.
 */
final class Faults implements Setting<RouteStmt.Fault> {
  /** The highest gRPC status code (16, UNAUTHENTICATED). */
  static final int MAX_GRPC_STATUS = 16;

  @Override
  public Class<RouteStmt.Fault> node() {
    return RouteStmt.Fault.class;
  }

  @Override
  public Set<Attachment> attachments() {
    return Set.of(Attachment.ROUTE, Attachment.CALL);
  }

  @Override
  public Role role() {
    return Role.FORWARDING;
  }

  @Override
  public void check(RouteStmt.Fault f, SettingChecks checks) {
    f.delay().ifPresent(checks::duration);
    f.percent().ifPresent(p -> percent(p, checks));
    f.status().ifPresent(s -> status(s, f.grpc(), checks));
    f.header().ifPresent(checks::headerName);
    // Envoy's fault filter has one header condition for its delay and abort together; the
    // second of the two fault statements reports a mismatch.
    Optional<RouteStmt.Fault> earlier =
        checks.first(RouteStmt.Fault.class).filter(x -> x != f && x.kind() != f.kind());
    if (earlier.isPresent()
        && !earlier.get().header().map(StringLit::value).equals(f.header().map(StringLit::value))) {
      checks.error(
          FAULT_HEADERS_DIFFER,
          f.span(),
          "this "
              + f.kind().name().toLowerCase(java.util.Locale.ROOT)
              + " and the "
              + earlier.get().kind().name().toLowerCase(java.util.Locale.ROOT)
              + " at "
              + checks.at(earlier.get().span())
              + " must apply to the same requests: give both the same `when header`, or neither");
    }
  }

  private static void percent(NumberLit p, SettingChecks checks) {
    if (p.value() < 1 || p.value() > 100) {
      checks.error(
          FAULT_PERCENT,
          p.span(),
          "a fault applies to a share from 1% to 100% of requests, found " + p.text() + "%");
    }
  }

  private static void status(NumberLit s, boolean grpc, SettingChecks checks) {
    if (grpc && (s.value() < 1 || s.value() > MAX_GRPC_STATUS)) {
      checks.error(
          FAULT_STATUS,
          s.span(),
          "a gRPC status to abort with is from 1 to 16 (like 14, UNAVAILABLE), found " + s.text());
    } else if (!grpc && (s.value() < 200 || s.value() > 599)) {
      checks.error(
          FAULT_STATUS,
          s.span(),
          "an HTTP status to abort with is from 200 to 599 (like 503), found " + s.text());
    }
  }

  @Override
  public void lower(RouteStmt.Fault f, RouteParts parts) {
    int percent = (int) f.percent().map(NumberLit::value).orElse(100L).longValue();
    Optional<String> header = f.header().map(StringLit::value);
    switch (f.kind()) {
      case DELAY ->
          parts.faultDelay(
              new RouteActionIr.DelayIr(f.delay().orElseThrow().value().orElseThrow(), percent),
              header);
      case ABORT ->
          parts.faultAbort(
              new RouteActionIr.AbortIr((int) f.status().orElseThrow().value(), f.grpc(), percent),
              header);
    }
  }
}
