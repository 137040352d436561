package dev.meshgate.cli.report;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A short description of every diagnostic code, for SARIF's rule list: written by hand, one per
 * code of the compiler ({@code Codes}, {@code TestCodes}), of {@code check --catalog} (MG601–MG603)
 * and of failing policy tests. RulesTest fails when a code has none, so a new code gets its
 * description here with it.
 */
final class Rules {
  private static final SortedMap<String, String> ALL =
      new TreeMap<>(
          Map.ofEntries(
              // Syntax.
              Map.entry("MG101", "Syntax error"),
              Map.entry("MG102", "Character that no statement can start with or contain"),
              Map.entry("MG103", "String not closed before the end of the line"),
              Map.entry("MG104", "Literal too long: a number, string, path or name past its limit"),
              Map.entry("MG105", "Blocks nested deeper than any policy needs"),
              Map.entry("MG106", "More diagnostics in the file than are shown"),
              Map.entry("MG107", "File that is not UTF-8"),
              // Names and references.
              Map.entry("MG201", "Reference to an undeclared service"),
              Map.entry("MG202", "Reference to an undeclared subset"),
              Map.entry("MG203", "Service declared twice"),
              Map.entry("MG204", "Gateway declared twice"),
              Map.entry("MG205", "Subset declared twice in one service"),
              Map.entry("MG206", "Host declared twice in one gateway"),
              Map.entry("MG207", "Gateway listens on the same port twice"),
              Map.entry("MG208", "Name not made of lower-case letters, digits and '-'"),
              Map.entry("MG209", "Service without a source of endpoints"),
              Map.entry("MG210", "Service setting given more than once"),
              Map.entry("MG211", "Gateway without a listen address, so it receives no traffic"),
              Map.entry("MG212", "Gateway without hosts, so it answers every request with 404"),
              Map.entry("MG213", "Invalid Consul or Kubernetes source"),
              Map.entry("MG214", "Subset selects none of the service's static endpoints"),
              // Values and units.
              Map.entry("MG301", "Duration with a unit other than ms, s, m, h or d"),
              Map.entry("MG302", "Duration of zero or longer than 365 days"),
              Map.entry("MG303", "Port outside 1..65535"),
              Map.entry("MG304", "Respond status outside 200..599"),
              Map.entry("MG305", "Redirect status that is not a redirect"),
              Map.entry("MG306", "Retry attempts outside 1..10"),
              Map.entry("MG307", "Unknown or repeated retry condition"),
              Map.entry("MG308", "Regex that is invalid or not supported by RE2"),
              Map.entry("MG309", "Header name that is invalid or not in lower case"),
              Map.entry("MG310", "Protocol other than http, http2, grpc or tcp"),
              Map.entry("MG311", "HTTP method listed twice"),
              Map.entry("MG312", "Path with '*' other than a final /**"),
              Map.entry("MG313", "Host that is not a domain, a wildcard domain or \"*\""),
              Map.entry("MG314", "Malformed IP address"),
              Map.entry("MG315", "Redirect location that is neither a path nor a URL"),
              Map.entry("MG316", "Rewrite prefix that is not a path"),
              Map.entry("MG326", "Static endpoint hostname that is not a DNS name"),
              Map.entry(
                  "MG327", "Host rewrite to the endpoint's hostname towards endpoints without one"),
              Map.entry("MG317", "Change to a header Envoy does not let routes change"),
              Map.entry("MG318", "Empty query parameter name"),
              Map.entry("MG319", "Static endpoint given as a host name instead of an IP address"),
              // resilience (issues 11, 14)
              Map.entry("MG320", "Setting written on a gateway or host that belongs on a route"),
              Map.entry("MG430", "Mirror on a route that does not forward with `to`"),
              Map.entry("MG431", "Mirror share outside 1-100%"),
              Map.entry("MG432", "Same target mirrored twice"),
              // External authorization (issue 12).
              Map.entry(
                  "MG690", "Route requires an ext-authz service the gateway does not declare"),
              Map.entry("MG691", "Duplicate ext-authz service name"),
              Map.entry("MG692", "ext-authz service without a grpc or http address"),
              Map.entry("MG693", "ext-authz field written twice"),
              Map.entry("MG694", "Invalid ext-authz address or path-prefix"),
              Map.entry("MG695", "ext-authz timeout above 10s"),
              Map.entry("MG696", "ext-authz service no route requires"),
              Map.entry("MG697", "Unknown ext-authz service kind, or an http-only field on grpc"),
              Map.entry("MG698", "`ext-authz` followed by a word other than off"),
              // Local rate limits (issue 13).
              // global rate limits (issue 13)
              Map.entry("MG440", "Global rate limit on a gateway without a rate-limit service"),
              Map.entry(
                  "MG441", "Global rate limit per an interval the rate-limit service cannot count"),
              Map.entry("MG442", "Global rate limit with a burst"),
              Map.entry("MG443", "Global rate limit on a mesh call"),
              Map.entry("MG444", "Rate-limit service address that is not HOST:PORT"),
              Map.entry("MG445", "Rate-limit service named twice on one gateway"),
              Map.entry("MG446", "Rate-limit service timeout below 1ms"),
              Map.entry("MG447", "Rate-limit service that no global limit uses"),
              Map.entry("MG450", "Rate limit of 0 requests, which lets nothing through"),
              Map.entry("MG451", "Rate limit refilled more often than Envoy allows (50ms)"),
              Map.entry("MG452", "Rate limit burst below its rate"),
              Map.entry("MG453", "Rate limit keyed by a JWT claim where no token is verified"),
              Map.entry("MG454", "Rate limit keyed by a JWT claim on a gateway without providers"),
              Map.entry("MG455", "Route keyed by a JWT claim but requiring no token"),
              Map.entry("MG456", "Route keyed by the authenticated client but authenticating none"),
              // Compression and request limits (issue 13).
              Map.entry("MG460", "Unknown compression algorithm"),
              Map.entry("MG461", "compress off written with algorithms, types or min-size"),
              Map.entry("MG462", "Compression of a content type that is already compressed"),
              Map.entry("MG463", "Size with an unknown unit"),
              Map.entry("MG464", "Size outside the range the statement takes"),
              Map.entry("MG465", "Content type that is not type/subtype"),
              Map.entry("MG466", "Gateway connection limit written twice"),
              Map.entry("MG470", "Error response status that is not 400-599, 4xx or 5xx"),
              Map.entry("MG471", "Unknown placeholder in an error response body"),
              Map.entry("MG472", "JSON error response body Envoy cannot send"),
              Map.entry("MG473", "Error response body file that cannot be read"),
              Map.entry("MG474", "Status with two error responses in one place"),
              Map.entry("MG475", "Unknown error response format"),
              Map.entry("MG476", "error-response off beside error responses in one place"),
              Map.entry("MG477", "Error response body too large"),
              Map.entry("MG478", "Error response on a route that answers itself"),
              // gRPC transcoding and gRPC-Web (issue 13)
              Map.entry("MG480", "gRPC descriptor set that cannot be read"),
              Map.entry("MG481", "File that is not a whole gRPC descriptor set"),
              Map.entry("MG482", "gRPC service the descriptor set does not declare"),
              Map.entry(
                  "MG483", "gRPC transcoding or gRPC-Web towards a service that is not HTTP/2"),
              Map.entry("MG484", "Unknown grpc-json option"),
              Map.entry("MG485", "Path rewrite beside grpc-json"),
              // load balancing (issue 14)
              Map.entry("MG350", "Invalid hash cookie name"),
              Map.entry("MG351", "Hash cookie TTL not in whole seconds"),
              Map.entry("MG352", "hash-by on a route that does not forward"),
              Map.entry("MG353", "Same hash-by written twice"),
              Map.entry("MG354", "Empty zone"),
              Map.entry("MG355", "Zone written twice"),
              Map.entry("MG356", "load-balancer names a policy Envoy does not have"),
              Map.entry("MG357", "slow-start with a load balancer Envoy cannot ramp up"),
              Map.entry("MG358", "hash-by towards a service whose load balancer ignores hashes"),
              Map.entry("MG359", "Hash ring size out of Envoy's range"),
              Map.entry(
                  "MG321",
                  "Redirect part that is not http, https, host, port, path, prefix or strip-query"),
              Map.entry("MG322", "Redirect sets one part of the URL twice"),
              Map.entry(
                  "MG323",
                  "Prefix redirect or rewrite on a route that is not a /…/** prefix route"),
              Map.entry("MG324", "Redirect host that is not a host name"),
              Map.entry("MG325", "Redirect or rewrite path that is not a path"),
              Map.entry("MG630", "CORS allows any origin together with credentials"),
              Map.entry("MG631", "CORS block without an allowed origin"),
              Map.entry("MG632", "Invalid CORS origin"),
              // jwt (issue 12)
              Map.entry("MG660", "Claim rule with an empty claim name"),
              Map.entry("MG661", "Scope condition holding more than one scope"),
              Map.entry("MG662", "Requirement names a JWT provider the gateway does not have"),
              Map.entry("MG663", "Duplicate JWT provider"),
              Map.entry("MG664", "JWT provider without issuer or JWKS"),
              Map.entry("MG665", "JWT provider field written twice"),
              Map.entry("MG666", "Invalid JWKS URL"),
              Map.entry("MG667", "Credentials or a key written in a JWT provider"),
              Map.entry("MG668", "JWKS fetched over plain http"),
              Map.entry("MG669", "Claim rules on a route that requires no JWT"),
              Map.entry("MG670", "JWT provider no host or route requires"),
              // oidc login (issue 12)
              Map.entry("MG610", "Unknown OIDC provider"),
              Map.entry("MG611", "Duplicate OIDC provider"),
              Map.entry("MG612", "Secret written into the policy"),
              Map.entry("MG613", "OIDC endpoint over plain http"),
              Map.entry("MG614", "OIDC callback or logout path hides a route"),
              Map.entry("MG615", "OIDC provider no host or route requires"),
              Map.entry("MG616", "Incomplete OIDC provider"),
              Map.entry("MG617", "Repeated field in an OIDC provider"),
              Map.entry("MG618", "Invalid value in an OIDC provider"),
              Map.entry("MG671", "Route left without authentication on a host that requires it"),
              Map.entry("MG672", "Invalid JWT provider name"),
              Map.entry("MG673", "Empty or invalid value in a JWT provider"),
              Map.entry("MG674", "JWKS file holding a private key"),
              Map.entry("MG675", "JWKS file that is not a JSON Web Key Set"),
              // api keys (issue 12)
              Map.entry("MG620", "Route requires a basic-auth block the gateway does not declare"),
              Map.entry("MG621", "Duplicate basic-auth block"),
              Map.entry("MG622", "Users or password hashes written in the policy"),
              Map.entry("MG623", "Users file given by a relative path"),
              Map.entry("MG624", "basic-auth block without exactly one users file"),
              Map.entry("MG625", "basic-auth block no host or route requires"),
              Map.entry("MG626", "Invalid basic-auth or user name"),
              Map.entry(
                  "MG627", "Users file (as read at check time) lacks a user or would be refused"),
              Map.entry("MG628", "basic-auth and api-key required in the same place"),
              Map.entry(
                  "MG633",
                  "basic auth or API key and a JWT both read from the Authorization header"),
              Map.entry("MG629", "Test uses `with basic-auth` on a mesh call"),
              Map.entry("MG680", "Route requires an api-keys block the gateway does not declare"),
              Map.entry("MG681", "Duplicate api-keys block"),
              Map.entry("MG682", "API key written in the policy"),
              Map.entry("MG683", "Keys file given by a relative path"),
              Map.entry("MG684", "api-keys block without exactly one keys file"),
              Map.entry("MG685", "api-keys block no host or route requires"),
              Map.entry("MG686", "Invalid client name in require api-key"),
              Map.entry("MG687", "Invalid api-keys name or key source"),
              Map.entry("MG688", "Test uses `with api-key` on a mesh call"),
              Map.entry("MG640", "Unsupported minimum TLS version"),
              Map.entry("MG641", "Unknown TLS cipher"),
              Map.entry("MG642", "Unknown client-certificate mode"),
              Map.entry("MG643", "TLS listener without a certificate"),
              Map.entry("MG644", "Host that no certificate of its TLS listener covers"),
              Map.entry("MG645", "Listener redirect to a scheme other than https"),
              Map.entry("MG646", "HTTPS redirect on a gateway without a TLS listener"),
              Map.entry("MG647", "Certificate on a gateway without a TLS listener"),
              Map.entry("MG648", "Server name given to two certificates"),
              Map.entry("MG649", "Wildcard name on a built-in-CA certificate"),
              Map.entry("MG650", "Secret (private key) written in the policy text"),
              Map.entry(
                  "MG730", "Two routes that both match some request; the written order decides"),
              Map.entry("MG340", "Retries on POST or PATCH without `idempotent`"),
              Map.entry(
                  "MG390", "POST or PATCH route inheriting a host's or gateway's unsafe retry"),
              Map.entry("MG341", "Retry backoff whose max is below its base"),
              Map.entry("MG342", "Per-attempt timeout given by both backend-timeout and per-try"),
              Map.entry("MG343", "Fault share outside 1%..100%"),
              Map.entry("MG344", "Fault abort status out of range"),
              Map.entry("MG345", "Backend timeout longer than the whole request's timeout"),
              Map.entry("MG346", "Delay and abort faults that name different headers"),
              // Cluster settings (issue 14).
              Map.entry("MG370", "Unknown field in a cluster setting's block"),
              Map.entry("MG371", "Cluster setting field with the wrong kind of value"),
              Map.entry("MG372", "Cluster setting field written twice"),
              Map.entry("MG373", "Cluster setting value out of range"),
              Map.entry("MG374", "Unknown health check kind"),
              Map.entry("MG375", "Health check that the service's protocol cannot answer"),
              Map.entry("MG376", "Health check timeout not shorter than its interval"),
              Map.entry("MG377", "Health check path missing, invalid or not allowed"),
              Map.entry("MG378", "Circuit breaker min-retries without a retry budget"),
              Map.entry("MG379", "Circuit breaker max-retries ignored next to a retry budget"),
              Map.entry("MG380", "Cluster setting written twice in a subset's or call's block"),
              Map.entry("MG381", "Own load balancer that cannot ramp up the service's slow-start"),
              Map.entry("MG382", "Cluster setting on a gateway route, host or gateway"),
              // Routing.
              Map.entry("MG401", "Route with no action (to, redirect or respond)"),
              Map.entry("MG402", "Route with more than one action"),
              Map.entry("MG403", "Forwarding setting on a route that does not forward"),
              Map.entry("MG404", "Target weights that do not sum to 100%"),
              Map.entry("MG405", "Target without a weight in a split"),
              Map.entry("MG406", "Target weighted 0%"),
              Map.entry("MG407", "Target listed twice in one split"),
              Map.entry("MG408", "Route matching the same requests as an earlier route"),
              Map.entry("MG409", "Route after a catch-all route, so it never matches"),
              Map.entry("MG410", "Retries that cannot finish within the timeout"),
              Map.entry("MG411", "Rewrite that no matched path can start with"),
              Map.entry("MG412", "Route or call setting given more than once"),
              Map.entry("MG413", "Gateway route to a TCP service, which HTTP routing cannot reach"),
              // Service mesh and authorization.
              Map.entry("MG501", "More than one mesh block"),
              Map.entry("MG502", "Invalid SPIFFE trust domain"),
              Map.entry("MG503", "mTLS mode other than strict or permissive"),
              Map.entry("MG504", "Authorization default other than deny or allow"),
              Map.entry("MG505", "Mesh setting given more than once"),
              Map.entry("MG506", "Rule names an undeclared service or gateway"),
              Map.entry("MG507", "Rule or call destination without a sidecar"),
              Map.entry("MG508", "Caller without a sidecar, so no proxy makes its calls"),
              Map.entry("MG509", "Authorization rule that never decides anything"),
              Map.entry("MG510", "Allow under strict mTLS from a service without a sidecar"),
              Map.entry("MG511", "Rule from a service without a sidecar, which has no identity"),
              Map.entry("MG512", "Call the authorization rules do not allow"),
              Map.entry("MG513", "Sidecar port or inbound address used twice"),
              Map.entry("MG514", "Endpoint that lets callers bypass the sidecar"),
              Map.entry("MG515", "Sidecar without its app or inbound address"),
              Map.entry("MG516", "Sidecar setting given more than once"),
              Map.entry("MG517", "dry-run on a rule that is not a deny"),
              Map.entry("MG518", "Call between the same services declared twice"),
              Map.entry(
                  "MG519", "TCP service called without a local port for the caller's sidecar"),
              Map.entry("MG520", "Port given on a call to an HTTP service"),
              Map.entry("MG521", "Timeout or retry on a call to a TCP service"),
              Map.entry(
                  "MG522",
                  "Methods or paths in a rule towards a TCP service (L4 rules match identity only)"),
              // Live catalog (check --catalog).
              Map.entry("MG601", "Live catalog has no instance of the service"),
              Map.entry("MG602", "Subset selects none of the live catalog's instances"),
              Map.entry("MG603", "Live catalog refuses the service's source"),
              // Whole-policy analysis and suppression comments.
              Map.entry("MG701", "Route shadowed by an earlier route of its host"),
              Map.entry("MG702", "Gateways that cannot both bind their listen address"),
              Map.entry("MG703", "Target subset with no endpoint, so requests fail with 503"),
              Map.entry("MG704", "Allow and deny with the same scope, so the allow is dead"),
              Map.entry("MG720", "Service declared but never used"),
              Map.entry("MG721", "Subset no route sends to"),
              Map.entry("MG790", "Malformed meshgate:ignore comment, not applied"),
              Map.entry("MG791", "meshgate:ignore comment that silences nothing"),
              Map.entry("MG792", "meshgate:ignore naming a finding that cannot be silenced"),
              // Access logs (issue 15).
              Map.entry("MG960", "Unknown access-log format, destination, field or filter"),
              Map.entry("MG961", "Access-log file path that is not absolute"),
              Map.entry("MG962", "Access-log field that would log a credential"),
              Map.entry("MG963", "Access-log sample outside 0% to 100%"),
              Map.entry("MG964", "Second access-log on one gateway or sidecar"),
              Map.entry("MG965", "Access-log field or clause written twice"),
              Map.entry("MG966", "Access-log filter with a missing or extra duration"),
              Map.entry("MG967", "Malformed or misplaced access-log text template"),
              Map.entry("MG744", "Access-log OTLP collector missing or not HOST:PORT"),
              // tracing (issue 15)
              Map.entry("MG970", "Trace sample outside 0% to 100%"),
              Map.entry("MG971", "Tracing collector that is not HOST:PORT"),
              Map.entry("MG972", "Tracing block without a collector"),
              Map.entry("MG973", "Tracing block, field or tag written twice"),
              Map.entry("MG974", "Trace sample on a proxy that does not trace"),
              Map.entry("MG975", "Tracing tag without a name"),
              // Policy tests.
              Map.entry("MG801", "Test names an undeclared gateway"),
              Map.entry("MG802", "Test names an undeclared service"),
              Map.entry("MG803", "Test names an undeclared subset"),
              Map.entry("MG804", "Test request to a host the gateway does not serve"),
              Map.entry("MG805", "Test's expected shares are not a valid split"),
              Map.entry("MG806", "Expected outcome that does not fit the kind of request"),
              Map.entry("MG807", "Test call to a callee without a sidecar"),
              Map.entry("MG808", "Test uses `with jwt` on a mesh call"),
              Map.entry("MG809", "Invalid value in a test request or expectation"),
              Map.entry("MG810", "Two tests with the same name"),
              Map.entry("MG811", "Test without an expect, so it checks nothing"),
              Map.entry(
                  "MG812", "Expectation whose method or path does not fit the callee's protocol"),
              Map.entry("MG813", "Burst size outside 2 to 100000 requests"),
              Map.entry("MG814", "Burst expectation on a mesh call"),
              Map.entry("MG820", "Header check after `=> fault`, where nothing goes upstream"),
              // SARIF only.
              Map.entry(TestRule.ID, "Policy test failed")));

  private Rules() {}

  static SortedMap<String, String> all() {
    return ALL;
  }

  /** The description of {@code code}, or a generic one for a code this build does not know. */
  static String describe(String code) {
    return ALL.getOrDefault(code, "Meshgate diagnostic " + code);
  }

  /** What the first digit of a code stands for, for SARIF's fullDescription. */
  static String category(String code) {
    if (code.length() < 3 || !code.startsWith("MG")) {
      return "meshgate";
    }
    return switch (code.charAt(2)) {
      case '1' -> "syntax";
      case '2' -> "names and references";
      case '3' -> "values and units";
      case '4' -> "routing";
      case '5' -> "service mesh and authorization";
      case '6' -> "live catalog";
      case '7' -> "whole-policy analysis";
      case '8' -> "policy tests";
      default -> "meshgate";
    };
  }

  /** The rule a failing policy test is reported under in SARIF. */
  static final class TestRule {
    static final String ID = "meshgate-test";

    private TestRule() {}
  }
}
