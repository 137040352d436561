package dev.meshgate.compiler.setting;

/**
 * The diagnostic codes the setting units emit, defined beside them; {@code check.Codes} lists them
 * with every other code (docs and tests read that list).
 */
public final class SettingCodes {
  private SettingCodes() {}

  public static final String RESPOND_STATUS = "MG304";
  public static final String REDIRECT_STATUS = "MG305";
  public static final String RETRY_ATTEMPTS = "MG306";
  public static final String UNKNOWN_RETRY_CONDITION = "MG307";
  public static final String INVALID_REDIRECT_LOCATION = "MG315";
  public static final String INVALID_REWRITE = "MG316";
  public static final String RESERVED_HEADER = "MG317";

  // routing: host rewrite to the endpoint's hostname (issue 11)
  public static final String INVALID_ENDPOINT_HOSTNAME = "MG326";
  public static final String ENDPOINT_WITHOUT_HOSTNAME = "MG327";
  public static final String WEIGHTS_SUM = "MG404";
  public static final String WEIGHT_MISSING = "MG405";
  public static final String WEIGHT_ZERO = "MG406";
  public static final String DUPLICATE_TARGET = "MG407";
  public static final String RETRIES_EXCEED_TIMEOUT = "MG410";
  public static final String REWRITE_NEVER_APPLIES = "MG411";

  // cors (issue 12, edge security): MG63x (MG60x are the live-catalog findings)
  public static final String CORS_WILDCARD_WITH_CREDENTIALS = "MG630";
  public static final String CORS_WITHOUT_ORIGIN = "MG631";
  public static final String CORS_INVALID_ORIGIN = "MG632";

  /** The same code as every other invalid regex. */
  public static final String INVALID_ORIGIN_REGEX = "MG308";

  // jwt (issue 12, edge security): MG660-MG679, MG740-MG749
  public static final String JWT_EMPTY_CLAIM = "MG660";
  public static final String JWT_INVALID_SCOPE = "MG661";

  // basic auth (issue 12): MG620-MG629 (the rest in check/Codes)
  public static final String BASIC_AUTH_INVALID_NAME = "MG626";

  // api keys (issue 12): MG680-MG689 (the rest in check/Codes)
  public static final String API_KEY_INVALID_CLIENT = "MG686";

  // resilience (issues 11, 14): timeouts, retries, faults
  public static final String RETRY_NOT_IDEMPOTENT = "MG340";
  public static final String INVALID_BACKOFF = "MG341";
  public static final String PER_ATTEMPT_TIMEOUT_TWICE = "MG342";
  public static final String FAULT_PERCENT = "MG343";
  public static final String FAULT_STATUS = "MG344";
  public static final String BACKEND_TIMEOUT_EXCEEDS_TIMEOUT = "MG345";
  public static final String FAULT_HEADERS_DIFFER = "MG346";

  /** MG340 for a retry a POST/PATCH route inherits from its host or gateway. */
  public static final String INHERITED_RETRY_NOT_IDEMPOTENT = "MG390";

  // Mirrors (issue 11).
  public static final String MIRROR_WITHOUT_FORWARD = "MG430";
  public static final String MIRROR_PERCENT = "MG431";
  public static final String DUPLICATE_MIRROR = "MG432";

  // cluster settings (issue 14): circuit breakers, outlier detection, health checks: MG370-MG389
  public static final String UNKNOWN_CLUSTER_FIELD = "MG370";
  public static final String CLUSTER_FIELD_VALUE = "MG371";
  public static final String DUPLICATE_CLUSTER_FIELD = "MG372";
  public static final String CLUSTER_VALUE_RANGE = "MG373";
  public static final String UNKNOWN_HEALTH_CHECK = "MG374";
  public static final String HEALTH_CHECK_PROTOCOL = "MG375";
  public static final String HEALTH_CHECK_TIMEOUT = "MG376";
  public static final String HEALTH_CHECK_TARGET = "MG377";
  public static final String MIN_RETRIES_WITHOUT_BUDGET = "MG378";
  public static final String MAX_RETRIES_WITH_BUDGET = "MG379";
  // cluster settings below a service (issue 14): on a subset, on a call, not on a route
  public static final String DUPLICATE_OVERRIDE_SETTING = "MG380";
  public static final String OVERRIDE_CANNOT_RAMP = "MG381";
  public static final String CLUSTER_SETTING_ON_ROUTE = "MG382";
  // load balancing (issue 14): MG350-MG369
  public static final String INVALID_COOKIE_NAME = "MG350";
  public static final String INVALID_COOKIE_TTL = "MG351";
  public static final String HASH_WITHOUT_FORWARD = "MG352";
  public static final String DUPLICATE_HASH = "MG353";
  // MG354, MG355 (zone) and MG358 (hash-by without a hashing balancer) are in check.Codes
  public static final String UNKNOWN_LOAD_BALANCER = "MG356";
  public static final String SLOW_START_WITHOUT_RAMP = "MG357";
  public static final String RING_SIZE = "MG359";

  // local rate limits (issue 13): MG450-MG459
  public static final String RATE_LIMIT_RATE = "MG450";
  public static final String RATE_LIMIT_INTERVAL = "MG451";
  public static final String RATE_LIMIT_BURST = "MG452";
  public static final String RATE_LIMIT_JWT_CLAIM = "MG453";
  // global rate limits (issue 13): MG440-MG449 (MG440, MG444-MG447 are in check.Codes)
  public static final String GLOBAL_RATE_LIMIT_INTERVAL = "MG441";
  public static final String GLOBAL_RATE_LIMIT_BURST = "MG442";
  public static final String GLOBAL_RATE_LIMIT_ON_CALL = "MG443";
  // compression and request limits (issue 13, the gateway's boundary): MG460-MG469
  public static final String UNKNOWN_COMPRESSION = "MG460";
  public static final String COMPRESS_OFF_WITH_OPTIONS = "MG461";
  public static final String COMPRESS_COMPRESSED_TYPE = "MG462";
  public static final String INVALID_SIZE = "MG463";
  public static final String SIZE_OUT_OF_RANGE = "MG464";
  public static final String INVALID_CONTENT_TYPE = "MG465";
  // external authorization (issue 12): MG690-MG699 (the others are in check.Codes)
  public static final String EXT_AUTHZ_OFF_WORD = "MG698";
  // custom responses (issue 13): MG470-MG479
  public static final String ERROR_STATUS = "MG470";
  public static final String ERROR_PLACEHOLDER = "MG471";
  public static final String ERROR_JSON = "MG472";
  public static final String ERROR_FILE = "MG473";
  public static final String ERROR_DUPLICATE_STATUS = "MG474";
  public static final String ERROR_FORMAT = "MG475";
  public static final String ERROR_OFF_WITH_RESPONSES = "MG476";
  public static final String ERROR_BODY_SIZE = "MG477";
  public static final String ERROR_RESPONSE_UNUSED = "MG478";

  // gRPC transcoding and gRPC-Web (issue 13): MG480-MG489
  public static final String GRPC_DESCRIPTOR_FILE = "MG480";
  public static final String GRPC_DESCRIPTOR_INVALID = "MG481";
  public static final String GRPC_UNKNOWN_SERVICE = "MG482";
  public static final String GRPC_BACKEND_NOT_HTTP2 = "MG483";
  public static final String GRPC_UNKNOWN_OPTION = "MG484";
  public static final String GRPC_JSON_WITH_REWRITE = "MG485";
  // tracing (issue 15): MG970-MG979 (MG971-MG974 are in check.Codes)
  public static final String TRACE_SAMPLE_RANGE = "MG970";

  // Redirect and rewrite parts (issue 11).
  public static final String UNKNOWN_REDIRECT_PART = "MG321";
  public static final String CONFLICTING_REDIRECT_PARTS = "MG322";
  public static final String PREFIX_NEEDS_PREFIX_ROUTE = "MG323";
  public static final String INVALID_REDIRECT_HOST = "MG324";
  public static final String INVALID_NEW_PATH = "MG325";
}
