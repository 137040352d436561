package dev.meshgate.compiler.parse;

import static dev.meshgate.grammar.MeshParser.*;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.FailedPredicateException;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.jspecify.annotations.Nullable;

/**
 * ANTLR's recovery (single-token insertion/deletion, resync on the follow set) with messages for
 * people: every syntax error reads "expected WHAT, found 'TOKEN'", where WHAT names the kind of
 * value the rule wants ("a duration like 250ms or 2s") or the statements allowed there, instead of
 * ANTLR's token-type names.
 */
final class SyntaxErrorStrategy extends DefaultErrorStrategy {

  /** Rules that stand for one kind of value: their description beats listing tokens. */
  private static final Map<Integer, String> RULE_DESCRIPTIONS =
      Map.ofEntries(
          Map.entry(RULE_duration, "a duration like 250ms or 2s"),
          Map.entry(RULE_statusCode, "a status code like 200"),
          Map.entry(RULE_portNumber, "a port number like 8080"),
          Map.entry(RULE_retryAttempts, "a number of retries like 3"),
          Map.entry(RULE_weight, "a weight like 10%"),
          Map.entry(RULE_retryCondition, "a retry condition like 5xx or reset"),
          Map.entry(RULE_timeoutValue, "a duration like 2s, or none"),
          Map.entry(RULE_faultSpec, "a fault like delay 2s 10% or abort 503 5%"),
          Map.entry(
              RULE_redirectSpec,
              "a redirect like 301 \"/new/\" or 301 https host \"b.example\" path \"/new\""),
          Map.entry(RULE_endpointHost, "an endpoint like 127.0.0.1:9101"),
          Map.entry(RULE_string, "a string in double quotes"),
          Map.entry(RULE_socketAddress, "an address like :15101 or 127.0.0.1:9101"),
          Map.entry(RULE_ruleSource, "a service or gateway name, or *"),
          Map.entry(RULE_requestHost, "a host like api.example"),
          Map.entry(
              RULE_expectRequest,
              "a request like GET api.example/path via edge, or orders -> catalog GET /path"),
          Map.entry(
              RULE_expectOutcome,
              "an outcome: a service like catalog.v1 90%, a status like 404, redirect 301 \"/new\", allowed or denied"));

  private record Group(Set<Integer> tokens, String description) {}

  /** The cluster settings' keywords (issue 14). */
  private static final Set<Integer> CLUSTER_TOKENS =
      Set.of(
          CIRCUIT_BREAKER,
          OUTLIER_DETECTION,
          HEALTH_CHECK,
          PANIC_THRESHOLD,
          LOAD_BALANCER,
          SLOW_START);

  private static final String CLUSTER_SETTING =
      "a cluster setting (circuit-breaker, outlier-detection, health-check, panic-threshold,"
          + " load-balancer, slow-start)";

  private static final String ROUTE_STATEMENT =
      "a route statement (to, redirect, respond, rewrite, timeout, backend-timeout,"
          + " retry, fault, set, add, remove, cors, mirror, hash-by, rate-limit, compress, max-request-body, trace sample, ext-authz off, error-response, grpc-json, grpc-web)";

  /** Sets of tokens that read better as one phrase; checked in order. */
  private static final List<Group> GROUPS =
      List.of(
          new Group(
              Set.of(
                  TO,
                  REWRITE,
                  TIMEOUT,
                  BACKEND_TIMEOUT,
                  RETRY,
                  FAULT,
                  SET,
                  ADD,
                  REMOVE,
                  REDIRECT,
                  RESPOND,
                  CORS,
                  MIRROR,
                  HASH_BY,
                  RATE_LIMIT,
                  COMPRESS,
                  MAX_REQUEST_BODY,
                  TRACE, // tracing (issue 15)
                  EXT_AUTHZ, // external authorization (issue 12)
                  ERROR_RESPONSE, // custom responses (issue 13)
                  GRPC_JSON, // gRPC transcoding (issue 13)
                  GRPC_WEB),
              ROUTE_STATEMENT),
          new Group(
              Set.of(REQUIRE, ALLOW, DENY),
              "an authentication statement (require jwt, require ext-authz, require api-key, require basic-auth,"
                  + " allow jwt, deny jwt)"),
          new Group(
              Set.of(SOURCE, PROTOCOL, SUBSET, SIDECAR, TRACING),
              "a service statement (source, protocol, subset, sidecar, tracing)"),
          new Group(
              Set.of(
                  LISTEN,
                  HOST,
                  CERTIFICATE,
                  JWT_PROVIDER,
                  API_KEYS, // api keys (issue 12)
                  OIDC_PROVIDER, // oidc login (issue 12)
                  BASIC_AUTH, // basic auth (issue 12)
                  ZONE,
                  ACCESS_LOG,
                  MAX_REQUEST_HEADERS,
                  IDLE_TIMEOUT,
                  STREAM_IDLE_TIMEOUT,
                  TRACING),
              "a gateway statement (listen, host, certificate, jwt-provider, oidc-provider, ext-authz, api-keys, basic-auth,"
                  + " zone, access-log,"
                  + " max-request-headers, idle-timeout, stream-idle-timeout, tracing)"),
          new Group(
              Set.of(INBOUND, APP, OUTBOUND, ZONE, ACCESS_LOG),
              "a sidecar statement (inbound, app, outbound, zone, access-log)"),
          new Group(
              Set.of(TRUST_DOMAIN, MTLS, AUTHZ),
              "a mesh statement (trust-domain, mtls, authz default)"),
          new Group(
              Set.of(SERVICE, GATEWAY, MESH, ALLOW, DENY, CALL, TEST),
              "a declaration (service, gateway, mesh, allow, deny, call, test)"),
          new Group(
              Set.of(METHOD, PATH, TILDE),
              "an HTTP method like GET, a path like /api/** or ~ \"regex\""),
          new Group(Set.of(PATH, TILDE), "a path like /api/** or ~ \"regex\""),
          new Group(
              Set.of(
                  IDENT,
                  SERVICE,
                  SOURCE,
                  STATIC,
                  CONSUL,
                  DATACENTER,
                  TAG,
                  KUBERNETES,
                  LABELS,
                  PORT,
                  PROTOCOL,
                  SUBSET,
                  WHERE,
                  AND,
                  GATEWAY,
                  LISTEN,
                  HOST,
                  ROUTE,
                  WHEN,
                  HEADER,
                  QUERY,
                  TO,
                  REWRITE,
                  PREFIX,
                  TIMEOUT,
                  RETRY,
                  ON,
                  PER_TRY,
                  SET,
                  REMOVE,
                  REQUEST_HEADER,
                  RESPONSE_HEADER,
                  REDIRECT,
                  RESPOND,
                  MESH,
                  TRUST_DOMAIN,
                  MTLS,
                  AUTHZ,
                  DEFAULT,
                  SIDECAR,
                  INBOUND,
                  APP,
                  OUTBOUND,
                  ALLOW,
                  DENY,
                  DRY_RUN,
                  CALL,
                  TEST,
                  VIA,
                  WITH,
                  JWT,
                  // resilience (issues 11, 14)
                  BACKEND_TIMEOUT,
                  NONE,
                  FAULT,
                  DELAY,
                  ABORT,
                  GRPC,
                  BACKOFF,
                  MAX,
                  IDEMPOTENT,
                  MIRROR,
                  OR,
                  // jwt (issue 12)
                  JWT_PROVIDER,
                  ISSUER,
                  AUDIENCES,
                  JWKS,
                  CACHE,
                  FROM,
                  COOKIE,
                  CLAIM,
                  CLAIMS,
                  TO_HEADER,
                  SCOPE,
                  REQUIRE,
                  OPTIONAL,
                  // oidc login (issue 12)
                  OIDC_PROVIDER,
                  OIDC,
                  AUTHORIZATION_ENDPOINT,
                  TOKEN_ENDPOINT,
                  CLIENT_ID,
                  CLIENT_SECRET,
                  COOKIE_SECRET,
                  REDIRECT_PATH,
                  LOGOUT_PATH,
                  SCOPES,
                  ENV,
                  // load balancing (issue 14)
                  HASH_BY,
                  TTL,
                  SOURCE_IP,
                  ZONE,
                  // access logs (issue 15)
                  ACCESS_LOG,
                  FIELDS,
                  ONLY,
                  SAMPLE,
                  // local rate limits (issue 13)
                  RATE_LIMIT,
                  PER,
                  BURST,
                  BY,
                  CLIENT_IP,
                  // global rate limits (issue 13)
                  GLOBAL,
                  FAIL_OPEN,
                  FAIL_CLOSED,
                  // tracing (issue 15)
                  TRACING,
                  TRACE,
                  COLLECTOR,
                  // external authorization (issue 12)
                  PATH_PREFIX,
                  ON_ERROR,
                  SEND_HEADERS,
                  UPSTREAM_HEADERS,

                  // custom responses (issue 13)
                  ERROR_RESPONSE,

                  // api keys (issue 12)
                  API_KEYS,
                  API_KEY,
                  KEYS,
                  CLIENTS,
                  CLIENT,

                  // basic auth (issue 12)
                  BASIC_AUTH,
                  USERS,
                  USER),
              "a name"),
          new Group(
              Set.of(
                  TIMEOUT, BACKEND_TIMEOUT, RETRY, FAULT, PORT, MIRROR, HASH_BY, RATE_LIMIT, TRACE),
              "a call statement (timeout, backend-timeout, retry, fault, port, mirror,"
                  + " hash-by, rate-limit, trace sample)"),
          new Group(CLUSTER_TOKENS, CLUSTER_SETTING));

  private static final Map<Integer, String> TOKEN_DESCRIPTIONS =
      Map.of(
          METHOD,
          "an HTTP method like GET",
          IPV4,
          "an IP address like 127.0.0.1",
          DIGIT_WORD,
          "a duration like 250ms or 2s",
          INT,
          "a number",
          IDENT,
          "a name",
          PATH,
          "a path like /api/**",
          STRING,
          "a string in double quotes",
          Token.EOF,
          "end of file");

  /**
   * Resyncs like ANTLR, but skips a block opened while skipping as a whole: a broken route header
   * must not let its body's '}' close the enclosing host, which would cascade into errors about
   * everything after it.
   */
  @Override
  protected void consumeUntil(Parser parser, IntervalSet set) {
    int depth = 0;
    int type = parser.getInputStream().LA(1);
    while (type != Token.EOF && (depth > 0 || !set.contains(type))) {
      if (type == LBRACE) {
        depth++;
      } else if (type == RBRACE && depth > 0) {
        depth--;
      }
      parser.consume();
      type = parser.getInputStream().LA(1);
    }
  }

  @Override
  protected void reportNoViableAlternative(Parser parser, NoViableAltException e) {
    report(parser, e.getOffendingToken(), e);
  }

  @Override
  protected void reportInputMismatch(Parser parser, InputMismatchException e) {
    report(parser, e.getOffendingToken(), e);
  }

  @Override
  protected void reportFailedPredicate(Parser parser, FailedPredicateException e) {
    report(parser, e.getOffendingToken(), e);
  }

  @Override
  protected void reportUnwantedToken(Parser parser) {
    if (inErrorRecoveryMode(parser)) {
      return;
    }
    beginErrorCondition(parser);
    report(parser, parser.getCurrentToken(), null);
  }

  @Override
  protected void reportMissingToken(Parser parser) {
    if (inErrorRecoveryMode(parser)) {
      return;
    }
    beginErrorCondition(parser);
    report(parser, parser.getCurrentToken(), null);
  }

  private void report(Parser parser, Token found, @Nullable RecognitionException e) {
    IntervalSet expected;
    try {
      expected =
          e != null && e.getExpectedTokens() != null
              ? e.getExpectedTokens()
              : parser.getExpectedTokens();
    } catch (RuntimeException ex) {
      expected = new IntervalSet();
    }
    String message =
        "expected "
            + describe(parser.getContext().getRuleIndex(), expected)
            + ", found "
            + found(found);
    if (found.getType() == Token.EOF && expected.contains(RBRACE)) {
      message += "; a block opened with '{' is not closed";
    }
    parser.notifyErrorListeners(found, message, e);
  }

  static String found(Token token) {
    return token.getType() == Token.EOF ? "end of file" : PolicyParser.quote(token.getText());
  }

  static String describe(int rule, IntervalSet expected) {
    String byRule = RULE_DESCRIPTIONS.get(rule);
    if (byRule != null) {
      return byRule;
    }
    Set<Integer> remaining = new TreeSet<>(expected.toList());
    List<String> parts = new ArrayList<>();
    for (Group group : GROUPS) {
      if (remaining.containsAll(group.tokens())) {
        // Routes, hosts and gateways parse cluster settings only to refuse them (MG382).
        if (!(group.description().equals(CLUSTER_SETTING) && parts.contains(ROUTE_STATEMENT))) {
          parts.add(group.description());
        }
        remaining.removeAll(group.tokens());
      }
    }
    // Closing braces and end of file read best last: "… or '}'".
    Set<String> tail = new LinkedHashSet<>();
    for (int type : remaining) {
      String text = tokenText(type);
      if (type == RBRACE || type == Token.EOF) {
        tail.add(text);
      } else {
        parts.add(text);
      }
    }
    parts.addAll(tail);
    if (parts.isEmpty()) {
      return "something else";
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    return String.join(", ", parts.subList(0, parts.size() - 1))
        + " or "
        + parts.get(parts.size() - 1);
  }

  private static String tokenText(int type) {
    String described = TOKEN_DESCRIPTIONS.get(type);
    if (described != null) {
      return described;
    }
    String literal = VOCABULARY.getLiteralName(type);
    return literal != null ? literal : VOCABULARY.getDisplayName(type);
  }
}
