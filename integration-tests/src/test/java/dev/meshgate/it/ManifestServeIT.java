package dev.meshgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshgate.cli.Meshgate;
import dev.meshgate.discovery.testing.KubernetesMockApi;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The server exactly as the plain manifests (deploy/kubernetes/meshgate.yaml, the chart rendered
 * with its defaults) run it: the Deployment's {@code serve} arguments, with the mounted paths
 * pointed at a temporary directory holding the ConfigMap's policy, a CA and an admin token, the
 * ports at free ones, and {@code --kubernetes} at fabric8's mock API server. Its probes answer
 * without the token (the admin API listens beyond loopback, as in a pod), {@code /metrics} needs
 * the token (the ServiceMonitor's), and on SIGTERM it drains and exits within the pod's
 * terminationGracePeriodSeconds.
 */
@ExtendWith(PrintLogsOnFailure.class)
class ManifestServeIT {
  private static final String TOKEN = "0123456789abcdef0123456789abcdef";

  @Test
  void theManifestsServeCommandStartsProbesAnswerAndSigtermDrainsWithinTheGracePeriod(
      @TempDir Path dir) throws Exception {
    Path manifests = ProjectRoot.get().resolve("deploy/kubernetes/meshgate.yaml");
    List<ObjectNode> docs = KubernetesManifests.parse(Files.readString(manifests));
    JsonNode pod =
        KubernetesManifests.only(docs, "Deployment", "meshgate").at("/spec/template/spec");
    JsonNode container = pod.path("containers").get(0);
    JsonNode policy = KubernetesManifests.only(docs, "ConfigMap", "meshgate-policy").path("data");

    Path policyDir = Files.createDirectories(dir.resolve("policy"));
    policy
        .fields()
        .forEachRemaining(f -> write(policyDir.resolve(f.getKey()), f.getValue().asText()));
    Path caDir = dir.resolve("ca");
    StringWriter caOut = new StringWriter();
    CommandLine cli =
        Meshgate.commandLine(new PrintWriter(caOut, true), new PrintWriter(caOut, true));
    assertEquals(0, cli.execute("ca", "init", "--ca-dir", caDir.toString()), caOut.toString());
    Path adminDir = Files.createDirectories(dir.resolve("admin"));
    write(adminDir.resolve("token"), TOKEN);

    int xdsPort = FreePorts.next();
    int adminPort = FreePorts.next();
    Map<String, String> mounts =
        Map.of(
            "/etc/meshgate/policy", policyDir.toString(),
            "/etc/meshgate/ca", caDir.toString(),
            "/etc/meshgate/admin/token", adminDir.resolve("token").toString(),
            "18000", Integer.toString(xdsPort),
            "18001", Integer.toString(adminPort));
    List<String> args = new ArrayList<>();
    for (JsonNode arg : container.path("args")) {
      args.add(mounts.getOrDefault(arg.asText(), arg.asText()));
    }
    assertTrue(args.contains("--kubernetes"), args.toString());

    try (KubernetesMockApi api = KubernetesMockApi.start()) {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"));
      command.addAll(api.jvmOptions());
      command.addAll(List.of("-cp", System.getProperty("java.class.path")));
      command.add("dev.meshgate.cli.Meshgate");
      command.addAll(args);
      try (ChildProcess server =
          ChildProcess.start(
              "meshgate-manifest", command, dir.resolve("meshgate.log"), Duration.ofSeconds(40))) {
        String admin = "http://127.0.0.1:" + adminPort;
        Wait.until(
            Duration.ofSeconds(60),
            "/ready of the server the manifests run",
            () -> {
              server.requireAlive("while starting");
              return Http.get(admin + "/ready").statusCode() == 200
                  ? Optional.of(true)
                  : Optional.empty();
            });
        assertEquals(200, Http.get(admin + "/healthz").statusCode());
        assertEquals(401, Http.get(admin + "/metrics").statusCode());
        assertEquals(
            200, Http.get(admin + "/metrics", "Authorization", "Bearer " + TOKEN).statusCode());
        JsonNode status =
            Http.json(Http.get(admin + "/status", "Authorization", "Bearer " + TOKEN));
        assertTrue(status.toString().contains("gateway:edge"), status.toString());

        long grace = pod.path("terminationGracePeriodSeconds").asLong();
        long started = System.nanoTime();
        ProcessHandle.of(server.pid()).orElseThrow().destroy(); // SIGTERM, as the kubelet sends
        Wait.until(
            Duration.ofSeconds(grace),
            "the server exits within terminationGracePeriodSeconds",
            () -> !server.isAlive());
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.toSeconds() < grace, "exited after " + took);
        assertTrue(
            StreamSupport.stream(container.path("args").spliterator(), false)
                .anyMatch(a -> a.asText().equals("--drain-period")),
            "the manifests set --drain-period");
      }
    }
  }

  private static void write(Path file, String content) {
    try {
      Files.writeString(file, content);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
