package dev.meshgate.compiler.check;

/**
 * Every diagnostic code the compiler emits, in one place so docs and tests can be checked
 * against it. MG1xx syntax, MG2xx names and references, MG3xx values and units, MG4xx routing.
 */
public final class Codes {
  private Codes() {}

  // Syntax (emitted by the parser).
  public static final String SYNTAX = "MG101";
  public static final String UNEXPECTED_CHARACTER = "MG102";
  public static final String UNTERMINATED_STRING = "MG103";

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
  public static final String SOURCE_NOT_SUPPORTED = "MG213";
  public static final String SUBSET_MATCHES_NOTHING = "MG214";

  // Values and units.
  public static final String UNKNOWN_DURATION_UNIT = "MG301";
  public static final String DURATION_OUT_OF_RANGE = "MG302";
  public static final String PORT_OUT_OF_RANGE = "MG303";
  public static final String RESPOND_STATUS = "MG304";
  public static final String REDIRECT_STATUS = "MG305";
  public static final String RETRY_ATTEMPTS = "MG306";
  public static final String UNKNOWN_RETRY_CONDITION = "MG307";
  public static final String INVALID_REGEX = "MG308";
  public static final String INVALID_HEADER_NAME = "MG309";
  public static final String UNKNOWN_PROTOCOL = "MG310";
  public static final String DUPLICATE_METHOD = "MG311";
  public static final String INVALID_PATH = "MG312";
  public static final String INVALID_HOST = "MG313";
  public static final String INVALID_ADDRESS = "MG314";
  public static final String INVALID_REDIRECT_LOCATION = "MG315";
  public static final String INVALID_REWRITE = "MG316";
  public static final String RESERVED_HEADER = "MG317";
  public static final String INVALID_QUERY_NAME = "MG318";
  public static final String STATIC_HOST_NOT_IP = "MG319";

  // Routing.
  public static final String ROUTE_WITHOUT_ACTION = "MG401";
  public static final String ROUTE_WITH_SEVERAL_ACTIONS = "MG402";
  public static final String FORWARD_ONLY_SETTING = "MG403";
  public static final String WEIGHTS_SUM = "MG404";
  public static final String WEIGHT_MISSING = "MG405";
  public static final String WEIGHT_ZERO = "MG406";
  public static final String DUPLICATE_TARGET = "MG407";
  public static final String DUPLICATE_MATCH = "MG408";
  public static final String ROUTE_AFTER_CATCH_ALL = "MG409";
  public static final String RETRIES_EXCEED_TIMEOUT = "MG410";
  public static final String REWRITE_NEVER_APPLIES = "MG411";
  public static final String DUPLICATE_ROUTE_SETTING = "MG412";
}
