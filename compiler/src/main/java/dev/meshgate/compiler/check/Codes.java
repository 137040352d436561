package dev.meshgate.compiler.check;

import dev.meshgate.compiler.setting.SettingCodes;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every diagnostic code the compiler emits, in one place so docs and tests can be checked against
 * it. MG1xx syntax, MG2xx names and references, MG3xx values and units, MG4xx routing, MG5xx
 * service mesh and authorization, MG7xx whole-policy analysis and suppression comments.
 */
public final class Codes {
  private Codes() {}

  // Syntax (emitted by the parser).
  public static final String SYNTAX = "MG101";
  public static final String UNEXPECTED_CHARACTER = "MG102";
  public static final String UNTERMINATED_STRING = "MG103";

  // Input limits and encoding (emitted by the parser; see parse/InputLimits and DiagnosticLimit).
  public static final String TOKEN_TOO_LONG = "MG104";
  public static final String NESTING_TOO_DEEP = "MG105";
  public static final String TOO_MANY_DIAGNOSTICS = "MG106";
  public static final String NOT_UTF8 = "MG107";

  // Names and references.
  public static final String UNKNOWN_SERVICE = "MG201";
  public static final String UNKNOWN_SUBSET = "MG202";
  public static final String DUPLICATE_SERVICE = "MG203";
  public static final String DUPLICATE_GATEWAY = "MG204";
  public static final String DUPLICATE_SUBSET = "MG205";
  public static final String DUPLICATE_HOST = "MG206";
  public static final String DUPLICATE_LISTEN_PORT = "MG207";
  public static final String INVALID_NAME = "MG208";
  public static final String SERVICE_WITHOUT_SOURCE = "MG209";
  public static final String DUPLICATE_SERVICE_SETTING = "MG210";
  public static final String GATEWAY_WITHOUT_LISTEN = "MG211";
  public static final String GATEWAY_WITHOUT_HOSTS = "MG212";
  public static final String INVALID_SOURCE = "MG213";
  public static final String SUBSET_MATCHES_NOTHING = "MG214";

  // Values and units.
  public static final String UNKNOWN_DURATION_UNIT = "MG301";
  public static final String DURATION_OUT_OF_RANGE = "MG302";
  public static final String PORT_OUT_OF_RANGE = "MG303";
  public static final String RESPOND_STATUS = SettingCodes.RESPOND_STATUS;
  public static final String REDIRECT_STATUS = SettingCodes.REDIRECT_STATUS;
  public static final String RETRY_ATTEMPTS = SettingCodes.RETRY_ATTEMPTS;
  public static final String UNKNOWN_RETRY_CONDITION = SettingCodes.UNKNOWN_RETRY_CONDITION;
  public static final String INVALID_REGEX = "MG308";
  public static final String INVALID_HEADER_NAME = "MG309";
  public static final String UNKNOWN_PROTOCOL = "MG310";
  public static final String DUPLICATE_METHOD = "MG311";
  public static final String INVALID_PATH = "MG312";
  public static final String INVALID_HOST = "MG313";
  public static final String INVALID_ADDRESS = "MG314";
  public static final String INVALID_REDIRECT_LOCATION = SettingCodes.INVALID_REDIRECT_LOCATION;
  public static final String INVALID_REWRITE = SettingCodes.INVALID_REWRITE;
  public static final String INVALID_ENDPOINT_HOSTNAME = SettingCodes.INVALID_ENDPOINT_HOSTNAME;
  public static final String ENDPOINT_WITHOUT_HOSTNAME = SettingCodes.ENDPOINT_WITHOUT_HOSTNAME;
  public static final String RESERVED_HEADER = SettingCodes.RESERVED_HEADER;

  // resilience (issues 11, 14)
  public static final String RETRY_NOT_IDEMPOTENT = SettingCodes.RETRY_NOT_IDEMPOTENT;
  public static final String INHERITED_RETRY_NOT_IDEMPOTENT =
      SettingCodes.INHERITED_RETRY_NOT_IDEMPOTENT;
  public static final String INVALID_BACKOFF = SettingCodes.INVALID_BACKOFF;
  public static final String PER_ATTEMPT_TIMEOUT_TWICE = SettingCodes.PER_ATTEMPT_TIMEOUT_TWICE;
  public static final String FAULT_PERCENT = SettingCodes.FAULT_PERCENT;
  public static final String FAULT_STATUS = SettingCodes.FAULT_STATUS;
  public static final String BACKEND_TIMEOUT_EXCEEDS_TIMEOUT =
      SettingCodes.BACKEND_TIMEOUT_EXCEEDS_TIMEOUT;
  public static final String FAULT_HEADERS_DIFFER = SettingCodes.FAULT_HEADERS_DIFFER;
  // cluster settings (issue 14): circuit breakers, outlier detection, health checks
  public static final String UNKNOWN_CLUSTER_FIELD = SettingCodes.UNKNOWN_CLUSTER_FIELD;
  public static final String CLUSTER_FIELD_VALUE = SettingCodes.CLUSTER_FIELD_VALUE;
  public static final String DUPLICATE_CLUSTER_FIELD = SettingCodes.DUPLICATE_CLUSTER_FIELD;
  public static final String CLUSTER_VALUE_RANGE = SettingCodes.CLUSTER_VALUE_RANGE;
  public static final String UNKNOWN_HEALTH_CHECK = SettingCodes.UNKNOWN_HEALTH_CHECK;
  public static final String HEALTH_CHECK_PROTOCOL = SettingCodes.HEALTH_CHECK_PROTOCOL;
  public static final String HEALTH_CHECK_TIMEOUT = SettingCodes.HEALTH_CHECK_TIMEOUT;
  public static final String HEALTH_CHECK_TARGET = SettingCodes.HEALTH_CHECK_TARGET;
  public static final String MIN_RETRIES_WITHOUT_BUDGET = SettingCodes.MIN_RETRIES_WITHOUT_BUDGET;
  public static final String MAX_RETRIES_WITH_BUDGET = SettingCodes.MAX_RETRIES_WITH_BUDGET;
  // cluster settings below a service (issue 14): a subset's, a call's; refused on routes
  public static final String DUPLICATE_OVERRIDE_SETTING = SettingCodes.DUPLICATE_OVERRIDE_SETTING;
  public static final String OVERRIDE_CANNOT_RAMP = SettingCodes.OVERRIDE_CANNOT_RAMP;
  public static final String CLUSTER_SETTING_ON_ROUTE = SettingCodes.CLUSTER_SETTING_ON_ROUTE;
  public static final String INVALID_QUERY_NAME = "MG318";
  public static final String STATIC_HOST_NOT_IP = "MG319";

  // Routing.
  public static final String ROUTE_WITHOUT_ACTION = "MG401";
  public static final String ROUTE_WITH_SEVERAL_ACTIONS = "MG402";
  public static final String FORWARD_ONLY_SETTING = "MG403";
  public static final String WEIGHTS_SUM = SettingCodes.WEIGHTS_SUM;
  public static final String WEIGHT_MISSING = SettingCodes.WEIGHT_MISSING;
  public static final String WEIGHT_ZERO = SettingCodes.WEIGHT_ZERO;
  public static final String DUPLICATE_TARGET = SettingCodes.DUPLICATE_TARGET;
  public static final String DUPLICATE_MATCH = "MG408";
  public static final String ROUTE_AFTER_CATCH_ALL = "MG409";
  public static final String RETRIES_EXCEED_TIMEOUT = SettingCodes.RETRIES_EXCEED_TIMEOUT;
  public static final String REWRITE_NEVER_APPLIES = SettingCodes.REWRITE_NEVER_APPLIES;
  public static final String DUPLICATE_ROUTE_SETTING = "MG412";
  public static final String SETTING_NOT_ALLOWED_HERE = "MG320";
  public static final String ROUTE_TO_TCP_SERVICE = "MG413";

  // Routing: mirrors and match alternatives (issue 11).
  public static final String MIRROR_WITHOUT_FORWARD = SettingCodes.MIRROR_WITHOUT_FORWARD;
  public static final String MIRROR_PERCENT = SettingCodes.MIRROR_PERCENT;
  public static final String DUPLICATE_MIRROR = SettingCodes.DUPLICATE_MIRROR;

  // global rate limits (issue 13): MG440-MG449.
  public static final String GLOBAL_RATE_LIMIT_WITHOUT_SERVICE = "MG440";
  public static final String GLOBAL_RATE_LIMIT_INTERVAL = SettingCodes.GLOBAL_RATE_LIMIT_INTERVAL;
  public static final String GLOBAL_RATE_LIMIT_BURST = SettingCodes.GLOBAL_RATE_LIMIT_BURST;
  public static final String GLOBAL_RATE_LIMIT_ON_CALL = SettingCodes.GLOBAL_RATE_LIMIT_ON_CALL;
  public static final String RATE_LIMIT_SERVICE_ADDRESS = "MG444";
  public static final String DUPLICATE_RATE_LIMIT_SERVICE = "MG445";
  public static final String RATE_LIMIT_SERVICE_TIMEOUT = "MG446";
  public static final String RATE_LIMIT_SERVICE_UNUSED = "MG447";
  // local rate limits (issue 13): MG450-MG459.
  public static final String RATE_LIMIT_RATE = SettingCodes.RATE_LIMIT_RATE;
  public static final String RATE_LIMIT_INTERVAL = SettingCodes.RATE_LIMIT_INTERVAL;
  public static final String RATE_LIMIT_BURST = SettingCodes.RATE_LIMIT_BURST;
  public static final String RATE_LIMIT_JWT_CLAIM = SettingCodes.RATE_LIMIT_JWT_CLAIM;
  public static final String RATE_LIMIT_JWT_WITHOUT_PROVIDER = "MG454";
  public static final String RATE_LIMIT_CLAIM_WITHOUT_JWT = "MG455";
  public static final String RATE_LIMIT_CLIENT_WITHOUT_AUTH = "MG456";
  // load balancing (issue 14)
  public static final String INVALID_COOKIE_NAME = SettingCodes.INVALID_COOKIE_NAME;
  public static final String INVALID_COOKIE_TTL = SettingCodes.INVALID_COOKIE_TTL;
  public static final String HASH_WITHOUT_FORWARD = SettingCodes.HASH_WITHOUT_FORWARD;
  public static final String DUPLICATE_HASH = SettingCodes.DUPLICATE_HASH;
  public static final String INVALID_ZONE = "MG354";
  public static final String DUPLICATE_ZONE = "MG355";
  public static final String UNKNOWN_LOAD_BALANCER = SettingCodes.UNKNOWN_LOAD_BALANCER;
  public static final String SLOW_START_WITHOUT_RAMP = SettingCodes.SLOW_START_WITHOUT_RAMP;
  public static final String HASH_WITHOUT_HASHING_LB = "MG358";
  public static final String RING_SIZE = SettingCodes.RING_SIZE;
  public static final String UNKNOWN_REDIRECT_PART = SettingCodes.UNKNOWN_REDIRECT_PART;
  public static final String CONFLICTING_REDIRECT_PARTS = SettingCodes.CONFLICTING_REDIRECT_PARTS;
  public static final String PREFIX_NEEDS_PREFIX_ROUTE = SettingCodes.PREFIX_NEEDS_PREFIX_ROUTE;
  public static final String INVALID_REDIRECT_HOST = SettingCodes.INVALID_REDIRECT_HOST;
  public static final String INVALID_NEW_PATH = SettingCodes.INVALID_NEW_PATH;
  // tracing (issue 15): MG970-MG979
  public static final String TRACE_SAMPLE_RANGE = SettingCodes.TRACE_SAMPLE_RANGE;
  public static final String TRACING_COLLECTOR = "MG971";
  public static final String TRACING_WITHOUT_COLLECTOR = "MG972";
  public static final String DUPLICATE_TRACING = "MG973";
  public static final String TRACE_WITHOUT_TRACING = "MG974";
  public static final String TRACING_TAG_NAME = "MG975";

  // Service mesh and authorization.
  public static final String DUPLICATE_MESH = "MG501";
  public static final String INVALID_TRUST_DOMAIN = "MG502";
  public static final String UNKNOWN_MTLS_MODE = "MG503";
  public static final String UNKNOWN_AUTHZ_DEFAULT = "MG504";
  public static final String DUPLICATE_MESH_SETTING = "MG505";
  public static final String UNKNOWN_PEER = "MG506";
  public static final String DESTINATION_WITHOUT_SIDECAR = "MG507";
  public static final String CALLER_WITHOUT_SIDECAR = "MG508";
  public static final String RULE_NEVER_APPLIES = "MG509";
  public static final String STRICT_MTLS_PEER_WITHOUT_SIDECAR = "MG510";
  public static final String PEER_WITHOUT_IDENTITY = "MG511";
  public static final String CALL_NOT_ALLOWED = "MG512";
  public static final String SIDECAR_PORT_CLASH = "MG513";
  public static final String SOURCE_BYPASSES_SIDECAR = "MG514";
  public static final String SIDECAR_INCOMPLETE = "MG515";
  public static final String DUPLICATE_SIDECAR_SETTING = "MG516";
  public static final String DRY_RUN_ALLOW = "MG517";
  public static final String DUPLICATE_CALL = "MG518";
  public static final String TCP_CALL_WITHOUT_PORT = "MG519";
  public static final String CALL_PORT_NOT_TCP = "MG520";
  public static final String TCP_CALL_HTTP_SETTING = "MG521";
  public static final String TCP_RULE_REQUEST_MATCH = "MG522";

  // oidc login (issue 12): MG610-MG619
  public static final String OIDC_UNKNOWN_PROVIDER = "MG610";
  public static final String OIDC_DUPLICATE_PROVIDER = "MG611";
  public static final String OIDC_SECRET_IN_POLICY = "MG612";
  public static final String OIDC_PLAIN_HTTP_ENDPOINT = "MG613";
  public static final String OIDC_PATH_COLLISION = "MG614";
  public static final String OIDC_UNUSED_PROVIDER = "MG615";
  public static final String OIDC_PROVIDER_INCOMPLETE = "MG616";
  public static final String OIDC_REPEATED_FIELD = "MG617";
  public static final String OIDC_INVALID_VALUE = "MG618";

  // jwt (issue 12): MG660-MG679 (MG660, MG661 in SettingCodes), MG740-MG749
  public static final String JWT_EMPTY_CLAIM = SettingCodes.JWT_EMPTY_CLAIM;
  public static final String JWT_INVALID_SCOPE = SettingCodes.JWT_INVALID_SCOPE;
  public static final String JWT_UNKNOWN_PROVIDER = "MG662";
  public static final String JWT_DUPLICATE_PROVIDER = "MG663";
  public static final String JWT_PROVIDER_INCOMPLETE = "MG664";
  public static final String JWT_REPEATED_FIELD = "MG665";
  public static final String JWT_INVALID_JWKS_URL = "MG666";
  public static final String JWT_SECRET_IN_POLICY = "MG667";
  public static final String JWT_PLAIN_HTTP_JWKS = "MG668";
  public static final String JWT_RULES_WITHOUT_TOKEN = "MG669";
  public static final String JWT_UNUSED_PROVIDER = "MG670";
  public static final String JWT_ROUTE_WITHOUT_AUTHENTICATION = "MG671";
  public static final String JWT_INVALID_PROVIDER_NAME = "MG672";
  public static final String JWT_EMPTY_VALUE = "MG673";
  public static final String JWT_PRIVATE_KEY_IN_JWKS = "MG674";
  public static final String JWT_INVALID_JWKS_FILE = "MG675";

  // external authorization (issue 12): MG690-MG699 (MG698 in SettingCodes)
  public static final String EXT_AUTHZ_UNKNOWN = "MG690";
  public static final String EXT_AUTHZ_DUPLICATE = "MG691";
  public static final String EXT_AUTHZ_WITHOUT_SERVICE = "MG692";
  public static final String EXT_AUTHZ_REPEATED_FIELD = "MG693";
  public static final String EXT_AUTHZ_ADDRESS = "MG694";
  public static final String EXT_AUTHZ_TIMEOUT = "MG695";
  public static final String EXT_AUTHZ_UNUSED = "MG696";
  public static final String EXT_AUTHZ_KIND = "MG697";
  public static final String EXT_AUTHZ_OFF_WORD = SettingCodes.EXT_AUTHZ_OFF_WORD;
  // basic auth (issue 12): MG620-MG629 (MG626 in SettingCodes, MG629 in TestCodes)
  public static final String BASIC_AUTH_UNKNOWN_PROVIDER = "MG620";
  public static final String BASIC_AUTH_DUPLICATE_PROVIDER = "MG621";
  public static final String BASIC_AUTH_IN_POLICY = "MG622";
  public static final String BASIC_AUTH_RELATIVE_FILE = "MG623";
  public static final String BASIC_AUTH_PROVIDER_INCOMPLETE = "MG624";
  public static final String BASIC_AUTH_UNUSED_PROVIDER = "MG625";
  public static final String BASIC_AUTH_INVALID_NAME = SettingCodes.BASIC_AUTH_INVALID_NAME;
  public static final String BASIC_AUTH_USERS_FILE = "MG627";
  public static final String BASIC_AUTH_WITH_API_KEY = "MG628";

  /**
   * issue 12: basic auth (or an API key read from Authorization) and a JWT read from Authorization
   * in effect together; next to basic auth's full MG620-MG629 range.
   */
  public static final String AUTH_AUTHORIZATION_CLASH = "MG633";

  // api keys (issue 12): MG680-MG689 (MG686 in SettingCodes)
  public static final String API_KEY_UNKNOWN_PROVIDER = "MG680";
  public static final String API_KEY_DUPLICATE_PROVIDER = "MG681";
  public static final String API_KEY_IN_POLICY = "MG682";
  public static final String API_KEY_RELATIVE_FILE = "MG683";
  public static final String API_KEY_PROVIDER_INCOMPLETE = "MG684";
  public static final String API_KEY_UNUSED_PROVIDER = "MG685";
  public static final String API_KEY_INVALID_CLIENT = SettingCodes.API_KEY_INVALID_CLIENT;
  public static final String API_KEY_INVALID_NAME = "MG687";

  // compression and request limits (issue 13): MG460-MG469 (MG460-MG465 in SettingCodes)
  public static final String UNKNOWN_COMPRESSION = SettingCodes.UNKNOWN_COMPRESSION;
  public static final String COMPRESS_OFF_WITH_OPTIONS = SettingCodes.COMPRESS_OFF_WITH_OPTIONS;
  public static final String COMPRESS_COMPRESSED_TYPE = SettingCodes.COMPRESS_COMPRESSED_TYPE;
  public static final String INVALID_SIZE = SettingCodes.INVALID_SIZE;
  public static final String SIZE_OUT_OF_RANGE = SettingCodes.SIZE_OUT_OF_RANGE;
  public static final String INVALID_CONTENT_TYPE = SettingCodes.INVALID_CONTENT_TYPE;
  public static final String DUPLICATE_LIMIT = "MG466";

  // custom responses (issue 13): MG470-MG479 (in SettingCodes)
  public static final String ERROR_STATUS = SettingCodes.ERROR_STATUS;
  public static final String ERROR_PLACEHOLDER = SettingCodes.ERROR_PLACEHOLDER;
  public static final String ERROR_JSON = SettingCodes.ERROR_JSON;
  public static final String ERROR_FILE = SettingCodes.ERROR_FILE;
  public static final String ERROR_DUPLICATE_STATUS = SettingCodes.ERROR_DUPLICATE_STATUS;
  public static final String ERROR_FORMAT = SettingCodes.ERROR_FORMAT;
  public static final String ERROR_OFF_WITH_RESPONSES = SettingCodes.ERROR_OFF_WITH_RESPONSES;
  public static final String ERROR_BODY_SIZE = SettingCodes.ERROR_BODY_SIZE;
  public static final String ERROR_RESPONSE_UNUSED = SettingCodes.ERROR_RESPONSE_UNUSED;

  // gRPC transcoding and gRPC-Web (issue 13): MG480-MG489 (in SettingCodes)
  public static final String GRPC_DESCRIPTOR_FILE = SettingCodes.GRPC_DESCRIPTOR_FILE;
  public static final String GRPC_DESCRIPTOR_INVALID = SettingCodes.GRPC_DESCRIPTOR_INVALID;
  public static final String GRPC_UNKNOWN_SERVICE = SettingCodes.GRPC_UNKNOWN_SERVICE;
  public static final String GRPC_BACKEND_NOT_HTTP2 = SettingCodes.GRPC_BACKEND_NOT_HTTP2;
  public static final String GRPC_UNKNOWN_OPTION = SettingCodes.GRPC_UNKNOWN_OPTION;
  public static final String GRPC_JSON_WITH_REWRITE = SettingCodes.GRPC_JSON_WITH_REWRITE;

  // Edge TLS and CORS (issue 12, security-a): MG63x CORS (in SettingCodes), MG64x-MG65x TLS and
  // secrets.
  public static final String CORS_WILDCARD_WITH_CREDENTIALS =
      SettingCodes.CORS_WILDCARD_WITH_CREDENTIALS;
  public static final String CORS_WITHOUT_ORIGIN = SettingCodes.CORS_WITHOUT_ORIGIN;
  public static final String CORS_INVALID_ORIGIN = SettingCodes.CORS_INVALID_ORIGIN;
  public static final String TLS_VERSION = "MG640";
  public static final String TLS_UNKNOWN_CIPHER = "MG641";
  public static final String TLS_CLIENT_CERTIFICATE_MODE = "MG642";
  public static final String TLS_WITHOUT_CERTIFICATE = "MG643";
  public static final String TLS_HOST_WITHOUT_CERTIFICATE = "MG644";
  public static final String REDIRECT_NOT_HTTPS = "MG645";
  public static final String REDIRECT_WITHOUT_TLS_LISTENER = "MG646";
  public static final String CERTIFICATE_WITHOUT_TLS_LISTENER = "MG647";
  public static final String DUPLICATE_CERTIFICATE_NAME = "MG648";
  public static final String BUILT_IN_CA_WILDCARD = "MG649";
  public static final String EMBEDDED_SECRET = "MG650";

  // access logs (issue 15): MG960-MG967.
  public static final String UNKNOWN_ACCESS_LOG_WORD = "MG960";
  public static final String ACCESS_LOG_FILE_PATH = "MG961";
  public static final String ACCESS_LOG_SECRET = "MG962";
  public static final String ACCESS_LOG_SAMPLE = "MG963";
  public static final String DUPLICATE_ACCESS_LOG = "MG964";
  public static final String ACCESS_LOG_REPEATED = "MG965";
  public static final String ACCESS_LOG_FILTER = "MG966";
  public static final String ACCESS_LOG_TEMPLATE = "MG967";
  // access logs to OTLP (issue 15): MG744-MG749
  public static final String ACCESS_LOG_OTLP_ADDRESS = "MG744";

  // Whole-policy analysis.
  public static final String ROUTE_SHADOWED = "MG701";
  public static final String LISTENER_COLLISION = "MG702";
  public static final String TARGET_SUBSET_EMPTY = "MG703";
  public static final String RULES_CONTRADICT = "MG704";
  public static final String PARTIAL_OVERLAP = "MG730";
  public static final String UNUSED_SERVICE = "MG720";
  public static final String UNUSED_SUBSET = "MG721";

  // Suppression comments (`# meshgate:ignore CODE reason`); these cannot be silenced themselves.
  public static final String IGNORE_MALFORMED = "MG790";
  public static final String IGNORE_UNUSED = "MG791";
  public static final String IGNORE_NOT_ALLOWED = "MG792";

  /** Every code the checker emits as a warning. */
  static final Set<String> WARNINGS =
      Set.of(
          GATEWAY_WITHOUT_HOSTS,
          SUBSET_MATCHES_NOTHING,
          RETRIES_EXCEED_TIMEOUT,
          REWRITE_NEVER_APPLIES,
          ENDPOINT_WITHOUT_HOSTNAME,
          RETRY_NOT_IDEMPOTENT, // resilience (issue 14)
          INHERITED_RETRY_NOT_IDEMPOTENT,
          BACKEND_TIMEOUT_EXCEEDS_TIMEOUT, // resilience (issue 11)
          MAX_RETRIES_WITH_BUDGET, // cluster settings (issue 14)
          HASH_WITHOUT_HASHING_LB, // load balancing (issue 14)
          COMPRESS_COMPRESSED_TYPE, // compression (issue 13)
          ERROR_RESPONSE_UNUSED, // custom responses (issue 13)
          WEIGHT_ZERO,
          RULE_NEVER_APPLIES,
          PEER_WITHOUT_IDENTITY,
          SOURCE_BYPASSES_SIDECAR,
          RULES_CONTRADICT,
          CERTIFICATE_WITHOUT_TLS_LISTENER,
          JWT_PLAIN_HTTP_JWKS, // jwt (issue 12)
          JWT_UNUSED_PROVIDER,
          API_KEY_UNUSED_PROVIDER, // api keys (issue 12)
          BASIC_AUTH_UNUSED_PROVIDER, // basic auth (issue 12)
          BASIC_AUTH_USERS_FILE,
          JWT_ROUTE_WITHOUT_AUTHENTICATION,
          OIDC_PLAIN_HTTP_ENDPOINT, // oidc login (issue 12)
          OIDC_UNUSED_PROVIDER,
          RATE_LIMIT_CLAIM_WITHOUT_JWT, // local rate limits (issue 13)
          RATE_LIMIT_CLIENT_WITHOUT_AUTH,
          RATE_LIMIT_SERVICE_UNUSED, // global rate limits (issue 13)
          EXT_AUTHZ_UNUSED, // external authorization (issue 12)
          PARTIAL_OVERLAP,
          UNUSED_SERVICE,
          UNUSED_SUBSET,
          IGNORE_MALFORMED,
          IGNORE_UNUSED,
          IGNORE_NOT_ALLOWED);

  /**
   * Errors an ignore comment may silence: analysis findings about a policy that is still sound
   * (Envoy accepts it and it does what it says; the finding is that part of it is dead or clashes
   * with something outside the policy's view, like where proxies run). Every other error means the
   * policy cannot be compiled faithfully, so it cannot be silenced (MG792).
   */
  static final Set<String> SILENCEABLE_ERRORS =
      Set.of(
          DUPLICATE_MATCH,
          ROUTE_AFTER_CATCH_ALL,
          ROUTE_SHADOWED,
          LISTENER_COLLISION,
          TARGET_SUBSET_EMPTY);

  private static final Set<String> META =
      Set.of(IGNORE_MALFORMED, IGNORE_UNUSED, IGNORE_NOT_ALLOWED);

  /** Every code constant above and of the policy-test checks ({@link TestCodes}). */
  static Set<String> all() {
    Set<String> all = constants(Codes.class);
    all.addAll(constants(TestCodes.class));
    return all;
  }

  private static Set<String> constants(Class<?> holder) {
    Set<String> codes = new TreeSet<>();
    for (Field f : holder.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        try {
          codes.add((String) f.get(null));
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
      }
    }
    return codes;
  }

  /**
   * Whether a {@code # meshgate:ignore} comment may name this code. Policy-test codes ({@link
   * TestCodes}) may be named; of those, only warnings are silenced (see {@link #silences}).
   */
  static boolean silenceable(String code) {
    return !META.contains(code)
        && (WARNINGS.contains(code)
            || SILENCEABLE_ERRORS.contains(code)
            || constants(TestCodes.class).contains(code));
  }

  /** Whether an ignore naming this finding's code may silence this very finding. */
  static boolean silences(dev.meshgate.compiler.Diagnostic d) {
    return silenceable(d.code()) && (!d.isError() || SILENCEABLE_ERRORS.contains(d.code()));
  }
}
