package dev.meshgate.compiler.check;

/**
 * Diagnostic codes of policy tests ({@code test "…" { expect … }}), MG8xx. Kept apart from {@link
 * Codes} so the two lists can grow independently; both are documented in docs/language.md.
 */
public final class TestCodes {
  private TestCodes() {}

  public static final String UNKNOWN_GATEWAY = "MG801";
  public static final String UNKNOWN_NAME = "MG802";
  public static final String UNKNOWN_SUBSET = "MG803";
  public static final String HOST_NOT_SERVED = "MG804";
  public static final String BAD_WEIGHTS = "MG805";
  public static final String OUTCOME_DOES_NOT_FIT = "MG806";
  public static final String CALLEE_WITHOUT_SIDECAR = "MG807";
  public static final String JWT_NOT_SUPPORTED = "MG808";
  public static final String INVALID_VALUE = "MG809";
  public static final String DUPLICATE_TEST = "MG810";
  public static final String EMPTY_TEST = "MG811";
  public static final String REQUEST_DOES_NOT_FIT_PROTOCOL = "MG812";

  /** local rate limits (issue 13): {@code expect burst N} with N outside 2..100000. */
  public static final String BAD_BURST = "MG813";

  /** local rate limits (issue 13): {@code expect burst N} on a mesh call. */
  public static final String BURST_ON_CALL = "MG814";

  /** basic auth (issue 12): {@code with basic-auth} on a mesh call (in the MG620-MG629 range). */
  public static final String BASIC_AUTH_NOT_SUPPORTED = "MG629";

  /** api keys (issue 12): {@code with api-key} on a mesh call (in the MG680-MG689 range). */
  public static final String API_KEY_NOT_SUPPORTED = "MG688";

  /** A header check after {@code => fault S}: an aborted request has none to check. */
  public static final String FAULT_WITH_HEADER_CHECK = "MG820";
}
