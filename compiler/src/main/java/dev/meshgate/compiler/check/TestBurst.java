package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.TestCodes.*;

import dev.meshgate.compiler.ast.ExpectStmt;
import dev.meshgate.compiler.ast.NumberLit;

/**
 * rate limits (issue 13): {@code expect burst N …} sends N requests at once through a gateway
 * route's local token bucket; only gateways have rate limits the simulator knows.
 */
final class TestBurst {
  private TestBurst() {}

  /** Requests sent at once, to exercise a local rate limit (issue 13). */
  static final long MAX_BURST = 100_000;

  static void check(ExpectStmt expect, NumberLit n, TestCredentials.Errors errors) {
    if (n.value() < 2 || n.value() > MAX_BURST) {
      errors.error(
          BAD_BURST,
          n.span(),
          "a burst is 2 to "
              + MAX_BURST
              + " requests sent at once, found "
              + n.text()
              + "; for one request write the expectation without `burst`");
    }
    if (expect.request() instanceof ExpectStmt.Request.Call) {
      errors.error(
          BURST_ON_CALL,
          n.span(),
          "a burst goes through a gateway, whose rate limits the simulator knows; a mesh call is"
              + " judged by the callee's authorization only, so write `expect burst "
              + n.text()
              + " GET host/path via GATEWAY`, or drop `burst`");
    }
  }
}
