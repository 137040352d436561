package dev.meshgate.it;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * What the credential-file tests ({@link ApiKeyAuthIT}, {@link BasicAuthIT}) share: an echo backend
 * behind gateway {@code edge} of a {@link GatewayStack}, whose policy names credential files the
 * server reads from the test's work directory (never the policy), served with an admin token so
 * that everything an operator sees can be collected ({@link OperatorOutputs}). One per test class,
 * started in {@code @BeforeAll} and shared by its tests; the assertions stay in each test.
 */
final class CredentialStack implements AutoCloseable {
  /** Lets {@code config} and {@code /status} in; not a credential any test is about. */
  private static final String ADMIN_TOKEN = "5eed-0123456789abcdef0123456789\n";

  private final Path work;
  private final Backend echo;
  private final GatewayStack stack;
  private final Path tokenFile;

  private CredentialStack(Path work, Backend echo, GatewayStack stack, Path tokenFile) {
    this.work = work;
    this.echo = echo;
    this.stack = stack;
    this.tokenFile = tokenFile;
  }

  /**
   * Serves {@code policy} with {@code ${echo}}, {@code ${http}} (the listen port) and each of
   * {@code files}' placeholders (the credential files, already written below {@code work}) filled
   * in, and returns once {@code ready} (a request that needs the credentials) holds, 30 s at the
   * most; {@code readyWhat} names it in a timeout.
   */
  static CredentialStack start(
      Path work,
      String policy,
      Map<String, Path> files,
      String readyWhat,
      Predicate<CredentialStack> ready) {
    Backend echo = Backend.start("echo");
    CredentialStack started;
    try {
      Path tokenFile = Policy.write(work.resolve("admin-token"), ADMIN_TOKEN);
      int http = FreePorts.next();
      Map<String, Object> values = new HashMap<>(Map.of("echo", echo.address(), "http", http));
      files.forEach((placeholder, file) -> values.put(placeholder, file.toString()));
      GatewayStack stack =
          GatewayStack.start(
              work,
              "edge",
              http,
              Policy.render(policy, values),
              "--admin-token-file",
              tokenFile.toString());
      started = new CredentialStack(work, echo, stack, tokenFile);
    } catch (RuntimeException | Error e) { // a skip (no Envoy) too
      closeAfter(e, echo);
      throw e;
    }
    try {
      Wait.until(Duration.ofSeconds(30), readyWhat, () -> ready.test(started));
      return started;
    } catch (RuntimeException | Error e) {
      closeAfter(e, started);
      throw e;
    }
  }

  /**
   * Closes what started before {@code failure}: the test class never sees this stack, so its
   * {@code @AfterAll} cannot.
   */
  private static void closeAfter(Throwable failure, AutoCloseable started) {
    try {
      Closer.closeAll(started);
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /** A GET through the gateway's listener. */
  HttpResponse<String> get(String pathAndQuery, String... headers) {
    return Http.get(stack.url(pathAndQuery), headers);
  }

  /** The headers of the last request the backend received. */
  Map<String, String> lastHeaders() {
    return echo.lastHeaders();
  }

  long envoyPid() {
    return stack.envoy().pid();
  }

  String serverLog() {
    return stack.meshgate().logText();
  }

  /** For each test's {@code @AfterEach}: Envoy rejected no configuration. */
  void assertNothingRejected() {
    stack.envoy().assertNothingRejected();
  }

  /**
   * Replaces a credential file as deployment tools do (an atomic rename) and waits, 20 s at the
   * most, until {@code followed}: the server read it and Envoy (or the server's log) shows it.
   */
  void replace(Path file, String content, String followedWhat, BooleanSupplier followed) {
    Policy.replaceAtomically(file, content);
    Wait.until(Duration.ofSeconds(20), followedWhat, followed);
  }

  /** {@link OperatorOutputs#collect} of this stack: see there. */
  List<String> operatorOutputs(String filter, Path credentialsFile, String changed, String base)
      throws IOException {
    return OperatorOutputs.collect(stack, work, tokenFile, filter, credentialsFile, changed, base);
  }

  @Override
  public void close() {
    Closer.closeAll(stack, echo);
  }
}
