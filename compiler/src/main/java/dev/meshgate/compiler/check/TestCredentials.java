package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.TestCodes.*;

import dev.meshgate.compiler.Htpasswd;
import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.ExpectStmt;
import java.util.HashSet;
import java.util.Set;

/**
 * api keys, basic auth and jwt (issue 12): {@code with api-key client "…"}, {@code with basic-auth
 * user "…"} and {@code with jwt claims {…}} in a test request. All are checked at gateways; the
 * mesh authenticates by mTLS, so a mesh call with any of them is an error.
 */
final class TestCredentials {
  /** Where a finding goes (the test checker's error list). */
  interface Errors {
    void error(String code, Span span, String message);
  }

  private TestCredentials() {}

  static void apiKey(ExpectStmt expect, ExpectStmt.Option.ApiKey k, Errors errors) {
    if (expect.request() instanceof ExpectStmt.Request.Call) {
      errors.error(
          API_KEY_NOT_SUPPORTED,
          k.span(),
          "`with api-key` applies to requests through a gateway; mesh calls are"
              + " authenticated by mTLS identity, not keys; remove it");
    } else if (!k.client().value().matches("[A-Za-z0-9._@-]+")) {
      errors.error(
          INVALID_VALUE,
          k.client().span(),
          "\""
              + k.client().value()
              + "\" is not a client name (letters, digits and . _ @ -, as in the keys file)");
    }
  }

  static void basicAuth(ExpectStmt expect, ExpectStmt.Option.BasicAuth b, Errors errors) {
    if (expect.request() instanceof ExpectStmt.Request.Call) {
      errors.error(
          BASIC_AUTH_NOT_SUPPORTED,
          b.span(),
          "`with basic-auth` applies to requests through a gateway; mesh calls are"
              + " authenticated by mTLS identity, not passwords; remove it");
    } else if (!b.user().value().matches(Htpasswd.USER_NAME)) {
      errors.error(
          INVALID_VALUE,
          b.user().span(),
          "\""
              + b.user().value()
              + "\" is not a user name (letters, digits and . _ @ -, as in the users file)");
    }
  }

  /** jwt (issue 12): {@code with jwt claims {…}}, each claim once. */
  static void jwt(ExpectStmt expect, ExpectStmt.Option.Jwt j, Errors errors) {
    if (expect.request() instanceof ExpectStmt.Request.Call) {
      errors.error(
          JWT_NOT_SUPPORTED,
          j.span(),
          "`with jwt` applies to requests through a gateway; mesh calls are authenticated"
              + " by mTLS identity, not tokens; remove it");
    }
    Set<String> seen = new HashSet<>();
    for (ExpectStmt.Option.Claim c : j.claims()) {
      if (!seen.add(c.name().value())) {
        errors.error(
            INVALID_VALUE,
            c.name().span(),
            "claim \"" + c.name().value() + "\" is given twice; write it once");
      }
    }
  }
}
