package dev.meshgate.compiler.ir;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * jwt (issue 12): what a route asks of a request's JWT. {@code provider} is the provider whose
 * token the route requires ({@code optional}: a request without a token passes, one with a bad
 * token does not); empty when the route requires no token ({@code require none}, or nothing
 * written). {@code allow}/{@code deny} are the claim rules, evaluated like the mesh's rules: a
 * matching deny → 403; when there are allow rules, a request must match one, else 403.
 */
public record JwtIr(
    Optional<String> provider, boolean optional, List<ClaimRuleIr> allow, List<ClaimRuleIr> deny) {
  public JwtIr {
    allow = List.copyOf(allow);
    deny = List.copyOf(deny);
  }

  /** One {@code allow|deny jwt …} statement: every condition must hold. */
  public record ClaimRuleIr(String name, List<ConditionIr> conditions) {
    public ClaimRuleIr {
      conditions = List.copyOf(conditions);
    }
  }

  /**
   * {@code claim "c" = "v"} ({@code scope} false): claim {@code c} is "v" or a list holding "v";
   * {@code scope "s"} ({@code scope} true, claim "scope"): the space-separated scopes hold "s".
   */
  public record ConditionIr(String claim, String value, boolean scope) {}

  /**
   * A gateway's {@code jwt-provider}. {@code jwks} is where the keys come from; {@code from} where
   * the token is read (empty: Envoy's default, {@code Authorization: Bearer …} and the {@code
   * access_token} query parameter).
   */
  public record ProviderIr(
      String name,
      String issuer,
      List<String> audiences,
      JwksIr jwks,
      List<TokenSourceIr> from,
      List<ClaimHeaderIr> claimHeaders) {
    public ProviderIr {
      audiences = List.copyOf(audiences);
      from = List.copyOf(from);
      claimHeaders = List.copyOf(claimHeaders);
    }
  }

  /** Where a provider's keys come from. */
  public sealed interface JwksIr {
    /**
     * Fetched by Envoy from {@code url} through the cluster {@code cluster} (to {@code host:port},
     * TLS when {@code tls}) and kept for {@code cache}.
     */
    record Remote(String url, String cluster, String host, int port, boolean tls, Duration cache)
        implements JwksIr {}

    /** A JWKS file on the proxy's host, read by Envoy. */
    record Local(String file) implements JwksIr {}
  }

  /** {@code from header "h" [prefix "p"]}, {@code from query "q"}, {@code from cookie "c"}. */
  public record TokenSourceIr(Kind kind, String name, String prefix) {
    public enum Kind {
      HEADER,
      QUERY,
      COOKIE
    }
  }

  /** {@code claim "sub" to-header "x-user"}. */
  public record ClaimHeaderIr(String claim, String header) {}
}
