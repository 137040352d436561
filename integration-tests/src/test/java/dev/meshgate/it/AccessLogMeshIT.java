package dev.meshgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * access logs (issue 15) in the mesh: {@code access-log} inside a service's {@code sidecar { … }}
 * block configures that sidecar's HTTP listeners, inbound and outbound. orders calls catalog; the
 * caller's sidecar logs the call on its outbound side, the callee's on its inbound side, each to
 * its own file, and only the chosen errors where the policy says so.
 */
@ExtendWith(PrintLogsOnFailure.class)
class AccessLogMeshIT {
  private static final Duration FLUSHED_WITHIN = Duration.ofSeconds(10);

  @TempDir static Path work;
  static MeshStack mesh;
  static Path ordersLog;
  static Path catalogLog;

  private static String service(String name, String accessLog) {
    return """
    service NAME {
      source static 127.0.0.1:${NAME.inbound}
      sidecar {
        inbound 127.0.0.1:${NAME.inbound}
        app ${NAME.app}
        outbound 127.0.0.1:${NAME.outbound}
        ACCESS_LOG
      }
    }
    """
        .replace("NAME", name)
        .replace("ACCESS_LOG", accessLog);
  }

  @BeforeAll
  static void start() throws IOException {
    Files.createDirectories(work.resolve("logs"));
    ordersLog = work.resolve("logs/orders.log");
    catalogLog = work.resolve("logs/catalog.log");
    String policy =
        """
        mesh shop {
          trust-domain "shop.example"
          mtls strict
          authz default deny
        }
        """
            + service(
                "orders",
                "access-log json to file \""
                    + ordersLog
                    + "\" { fields method, path, status, upstream-cluster }")
            + service(
                "catalog",
                "access-log json to file \""
                    + catalogLog
                    + "\" { fields method, path, status, header \"x-caller\"  only errors }")
            + """
            allow orders -> catalog
            """;
    mesh = MeshStack.start(work, policy, List.of("orders", "catalog"), List.of());
  }

  @AfterEach
  void envoysRejectedNothing() {
    mesh.assertNothingRejected();
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(mesh);
  }

  @Test
  void eachSidecarLogsItsSideOfTheCallToItsOwnFile() {
    mesh.app("catalog").failPath("/broken", 503);
    assertThat(mesh.call("orders", "catalog", "GET", "/items/1", "x-caller", "o1").statusCode())
        .isEqualTo(200);
    assertThat(mesh.call("orders", "catalog", "GET", "/broken", "x-caller", "o2").statusCode())
        .isEqualTo(503);

    // The caller's outbound side logs both calls, with the cluster they went to.
    List<JsonNode> outbound = awaitLines(ordersLog, 2);
    assertThat(outbound)
        .extracting(l -> l.path("path").asText())
        .containsExactly("/items/1", "/broken");
    assertThat(outbound).extracting(l -> l.path("status").asInt()).containsExactly(200, 503);
    assertThat(outbound)
        .extracting(l -> l.path("upstream-cluster").asText())
        .containsOnly("catalog");

    // The callee's inbound side logs only the error (`only errors`), with the header chosen.
    List<JsonNode> inbound = awaitLines(catalogLog, 1);
    assertThat(inbound).hasSize(1);
    assertThat(inbound.get(0).path("path").asText()).isEqualTo("/broken");
    assertThat(inbound.get(0).path("status").asInt()).isEqualTo(503);
    assertThat(inbound.get(0).path("x-caller").asText()).isEqualTo("o2");
  }

  private static List<JsonNode> awaitLines(Path file, int n) {
    return Wait.until(
        FLUSHED_WITHIN,
        n + " access log lines in " + file,
        () -> {
          List<JsonNode> lines = lines(file);
          return lines.size() >= n ? Optional.of(lines) : Optional.empty();
        });
  }

  private static List<JsonNode> lines(Path file) {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      List<JsonNode> out = new ArrayList<>();
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          out.add(Http.JSON.readTree(line));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
