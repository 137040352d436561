package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Basic auth at the edge (issue 12) through a real Envoy configured by a real `meshgate serve`: the
 * users live in an htpasswd file the server reads (never in the policy, the compiled output, `plan`
 * or `config`); a valid user reaches the backend with its name in x-meshgate-client (and without
 * the password), a missing header is 401 with WWW-Authenticate, a wrong password or unknown user is
 * 401, a user a route does not list is 401 (Envoy knows only the route's users there), a
 * client-sent x-meshgate-client never reaches a backend, and a changed file is followed without
 * restarting Envoy (a malformed one keeps the last good users).
 */
@ExtendWith(PrintLogsOnFailure.class)
class BasicAuthIT {
  private static final String ALICE_PASSWORD = "wonderland-4f1c";
  private static final String BOB_PASSWORD = "builder-9e2d";
  private static final String ALICE_NEW_PASSWORD = "looking-glass-7a3b";

  private static final String POLICY =
      """
      service echo { source static ${echo} }

      gateway edge {
        listen 127.0.0.1:${http}

        basic-auth "admins" {
          users file "${users}"
        }

        host "*" {
          require basic-auth "admins"
          route /ops/** {
            require basic-auth "admins" users "alice"
            to echo
          }
          route /public/** {
            require none
            to echo
          }
          route /** { to echo }
        }
      }
      """;

  @TempDir static Path work;
  static CredentialStack gateway;
  static Path users;

  @BeforeAll
  static void start() {
    users =
        Policy.write(
            work.resolve("users/admins.htpasswd"),
            "# made with htpasswd -s\n"
                + line("alice", ALICE_PASSWORD)
                + line("bob", BOB_PASSWORD));
    gateway =
        CredentialStack.start(
            work,
            POLICY,
            Map.of("users", users),
            "the gateway letting alice in",
            g -> g.get("/x", "authorization", basic("alice", ALICE_PASSWORD)).statusCode() == 200);
  }

  @AfterEach
  void envoyRejectedNothing() {
    gateway.assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(gateway);
  }

  /** An htpasswd line as `htpasswd -s` writes it: base64 of the password's SHA-1. */
  static String line(String user, String password) {
    try {
      byte[] sha =
          MessageDigest.getInstance("SHA-1").digest(password.getBytes(StandardCharsets.UTF_8));
      return user + ":{SHA}" + Base64.getEncoder().encodeToString(sha) + "\n";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hash(String password) {
    String line = line("u", password).strip();
    return line.substring(line.indexOf("{SHA}") + 5);
  }

  static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static HttpResponse<String> get(String path, String authorization, String... more) {
    List<String> headers = new ArrayList<>(List.of("authorization", authorization));
    headers.addAll(List.of(more));
    return gateway.get(path, headers.toArray(String[]::new));
  }

  @Test
  void aValidUserReachesTheBackendWithItsNameAndWithoutThePassword() {
    HttpResponse<String> response =
        get("/x", basic("bob", BOB_PASSWORD), "x-meshgate-client", "mallory");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(gateway.lastHeaders())
        .as("the user's name is Envoy's, not the one the client sent")
        .containsEntry("x-meshgate-client", "bob")
        .doesNotContainKey("authorization");
  }

  @Test
  void aMissingHeaderIs401WithAChallenge() {
    HttpResponse<String> response = gateway.get("/x");
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("www-authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm="));
    assertThat(response.body()).contains("Missing username and password");
  }

  @Test
  void aWrongPasswordOrUnknownUserIs401() {
    assertThat(get("/x", basic("alice", "not-her-password")).statusCode()).isEqualTo(401);
    assertThat(get("/x", basic("eve", ALICE_PASSWORD)).statusCode()).isEqualTo(401);
    assertThat(get("/x", "Bearer " + ALICE_PASSWORD).statusCode())
        .as("not a basic credential")
        .isEqualTo(401);
  }

  @Test
  void aUserTheRouteDoesNotListIs401() {
    HttpResponse<String> bob = get("/ops/1", basic("bob", BOB_PASSWORD));
    assertThat(bob.statusCode()).isEqualTo(401);
    assertThat(bob.body()).contains("Invalid username/password combination");
    assertThat(get("/ops/1", basic("alice", currentAlicePassword())).statusCode()).isEqualTo(200);
    assertThat(gateway.lastHeaders()).containsEntry("x-meshgate-client", "alice");
  }

  @Test
  void aPublicRouteDropsAClientSentName() {
    HttpResponse<String> response = gateway.get("/public/a", "x-meshgate-client", "alice");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(gateway.lastHeaders()).doesNotContainKey("x-meshgate-client");
  }

  private static volatile String alicePassword = ALICE_PASSWORD;

  private static String currentAlicePassword() {
    return alicePassword;
  }

  @Test
  void aChangedUsersFileIsFollowedWithoutRestartingEnvoy() throws IOException {
    assertThat(get("/x", basic("alice", currentAlicePassword())).statusCode()).isEqualTo(200);
    long pid = gateway.envoyPid();

    gateway.replace(
        users,
        line("alice", ALICE_NEW_PASSWORD) + line("bob", BOB_PASSWORD),
        "alice's new password accepted",
        () -> get("/x", basic("alice", ALICE_NEW_PASSWORD)).statusCode() == 200);
    alicePassword = ALICE_NEW_PASSWORD;
    assertThat(get("/x", basic("alice", ALICE_PASSWORD)).statusCode()).isEqualTo(401);

    // A malformed file (an MD5 line Envoy would refuse) is refused at serve time; the last good
    // users stay in service.
    gateway.replace(
        users,
        "alice:$apr1$abcdefgh$0123456789abcdefghijkl\n" + line("bob", BOB_PASSWORD),
        "the server refusing the malformed users file",
        () -> gateway.serverLog().contains(users + ":1: user \"alice\" has no {SHA} hash"));
    assertThat(get("/x", basic("alice", ALICE_NEW_PASSWORD)).statusCode()).isEqualTo(200);
    assertThat(gateway.envoyPid()).as("the same Envoy").isEqualTo(pid);
    assertThat(gateway.serverLog())
        .doesNotContain(hash(ALICE_PASSWORD))
        .doesNotContain(hash(ALICE_NEW_PASSWORD))
        .doesNotContain(hash(BOB_PASSWORD))
        .doesNotContain("$apr1$");
  }

  @Test
  void usersAppearInNoOutput() throws IOException {
    List<String> outputs =
        new ArrayList<>(
            gateway.operatorOutputs(
                "basic_auth", users, "users \"alice\"", "users \"alice\", \"bob\""));
    outputs.add(gateway.serverLog());
    for (String text : outputs) {
      assertThat(text)
          .doesNotContain(hash(ALICE_PASSWORD))
          .doesNotContain(hash(ALICE_NEW_PASSWORD))
          .doesNotContain(hash(BOB_PASSWORD))
          .doesNotContain(ALICE_PASSWORD)
          .doesNotContain(BOB_PASSWORD);
    }
  }
}
