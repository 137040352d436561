package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * API keys at the edge (issue 12) through a real Envoy configured by a real `meshgate serve`: the
 * keys live in files the server reads (never in the policy, the compiled output, `plan` or
 * `config`); a valid key reaches the backend with the client's name in x-meshgate-client (and
 * without the key), a missing or unknown key is 401, a client a route does not list is 403, a
 * client-sent x-meshgate-client never reaches a backend, and a changed keys file is followed
 * without restarting Envoy (a malformed one keeps the last good keys).
 */
@ExtendWith(PrintLogsOnFailure.class)
class ApiKeyAuthIT {
  private static final String ACME_KEY = "acme-7f3c9a1e5b2d4c6f8a0b";
  private static final String GLOBEX_KEY = "globex-1d2e3f4a5b6c7d8e9f";
  private static final String ROTATE_OLD = "rot-old-5a6b7c8d9e0f1a2b";
  private static final String ROTATE_NEW = "rot-new-0f9e8d7c6b5a4f3e";

  private static final String POLICY =
      """
      service echo { source static ${echo} }

      gateway edge {
        listen 127.0.0.1:${http}

        api-keys "partners" {
          keys file "${partners}"
          from header "x-api-key"
          from query "api_key"
        }
        api-keys "rotating" {
          keys file "${rotating}"
        }

        host "*" {
          require api-key "partners"
          route /orders/** {
            require api-key "partners" clients "acme"
            to echo
          }
          route /rotating/** {
            require api-key "rotating"
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
  static Path partners;
  static Path rotating;

  @BeforeAll
  static void start() {
    partners =
        Policy.write(
            work.resolve("keys/partners.keys"),
            "# client key\nacme " + ACME_KEY + "\nglobex   " + GLOBEX_KEY + "\n");
    rotating = Policy.write(work.resolve("keys/rotating.keys"), "acme " + ROTATE_OLD + "\n");
    gateway =
        CredentialStack.start(
            work,
            POLICY,
            Map.of("partners", partners, "rotating", rotating),
            "the gateway accepting acme's key",
            g -> g.get("/x", "x-api-key", ACME_KEY).statusCode() == 200);
  }

  @AfterEach
  void envoyRejectedNothing() {
    gateway.assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(gateway);
  }

  static HttpResponse<String> get(String path, String... headers) {
    return gateway.get(path, headers);
  }

  @Test
  void aValidKeyReachesTheBackendWithTheClientsNameAndWithoutTheKey() {
    HttpResponse<String> response =
        get("/orders/1", "x-api-key", ACME_KEY, "x-meshgate-client", "someone-else");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(gateway.lastHeaders())
        .as("the client's name is Envoy's, not the one the client sent")
        .containsEntry("x-meshgate-client", "acme")
        .doesNotContainKey("x-api-key");

    assertThat(get("/other?api_key=" + GLOBEX_KEY).statusCode()).as("from query").isEqualTo(200);
    assertThat(gateway.lastHeaders()).containsEntry("x-meshgate-client", "globex");
  }

  @Test
  void aMissingOrUnknownKeyIs401() {
    assertThat(get("/x").statusCode()).isEqualTo(401);
    assertThat(get("/x", "x-api-key", "not-a-key").statusCode()).isEqualTo(401);
    assertThat(get("/x", "x-api-key", ROTATE_OLD).statusCode())
        .as("a key of another provider")
        .isEqualTo(401);
  }

  @Test
  void aClientTheRouteDoesNotListIs403() {
    assertThat(get("/orders/1", "x-api-key", GLOBEX_KEY).statusCode()).isEqualTo(403);
    assertThat(get("/orders/1", "x-api-key", ACME_KEY).statusCode()).isEqualTo(200);
  }

  @Test
  void aPublicRouteDropsAClientSentName() {
    HttpResponse<String> response = get("/public/a", "x-meshgate-client", "acme");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(gateway.lastHeaders()).doesNotContainKey("x-meshgate-client");
  }

  @Test
  void aChangedKeysFileIsFollowedWithoutRestartingEnvoy() throws IOException {
    assertThat(get("/rotating/a", "x-api-key", ROTATE_OLD).statusCode()).isEqualTo(200);
    long pid = gateway.envoyPid();

    gateway.replace(
        rotating,
        "acme " + ROTATE_NEW + "\n",
        "the new key accepted",
        () -> get("/rotating/a", "x-api-key", ROTATE_NEW).statusCode() == 200);
    assertThat(get("/rotating/a", "x-api-key", ROTATE_OLD).statusCode()).isEqualTo(401);
    assertThat(gateway.lastHeaders()).containsEntry("x-meshgate-client", "acme");

    // A malformed file is refused at serve time; the last good keys stay in service.
    gateway.replace(
        rotating,
        "acme " + ROTATE_OLD + " trailing\n",
        "the server refusing the malformed keys file",
        () -> gateway.serverLog().contains(rotating + " line 1 is not `client key`"));
    assertThat(get("/rotating/a", "x-api-key", ROTATE_NEW).statusCode()).isEqualTo(200);
    assertThat(get("/rotating/a", "x-api-key", ROTATE_OLD).statusCode()).isEqualTo(401);
    assertThat(gateway.envoyPid()).as("the same Envoy").isEqualTo(pid);
    assertThat(gateway.serverLog())
        .doesNotContain(ROTATE_OLD)
        .doesNotContain(ROTATE_NEW)
        .doesNotContain(ACME_KEY);
  }

  @Test
  void keysAppearInNoOutput() throws IOException {
    List<String> outputs =
        new ArrayList<>(
            gateway.operatorOutputs(
                "api_key_auth", partners, "clients \"acme\"", "clients \"acme\", \"globex\""));
    for (String text : outputs) {
      assertThat(text)
          .doesNotContain(ACME_KEY)
          .doesNotContain(GLOBEX_KEY)
          .doesNotContain(ROTATE_OLD)
          .doesNotContain(ROTATE_NEW);
    }
  }
}
