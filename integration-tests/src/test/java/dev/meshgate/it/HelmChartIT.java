package dev.meshgate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshgate.cli.Meshgate;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The Helm chart (deploy/helm/meshgate) through a real {@code helm} (scripts/install-helm.sh builds
 * it from the Go module proxy): {@code helm lint}, {@code helm template} with the default values, a
 * bundle, the ServiceMonitor and the gateway; every document passes the schema check ({@link
 * KubernetesManifests}), every {@code serve} argument parses as the real CLI's, and the committed
 * plain manifests (deploy/kubernetes/meshgate.yaml) are exactly the chart rendered with defaults.
 */
class HelmChartIT {
  /** Regenerates deploy/kubernetes/meshgate.yaml (docs/deploy.md, "Plain manifests"). */
  static final String REGEN = "scripts/render-manifests.sh";

  private static Path helm;
  private static Path root;
  private static Path chart;

  @BeforeAll
  static void findHelm() {
    helm =
        Tools.required(
            "helm",
            "run scripts/install-helm.sh (builds it from the Go module proxy into .tools/bin/helm)");
    root = ProjectRoot.get();
    chart = root.resolve("deploy/helm/meshgate");
  }

  @Test
  void lintPasses() {
    List<String> lint = List.of(helm.toString(), "lint", "--strict", chart.toString());
    Tools.Result result = Tools.run(root, lint).requireOk(lint);
    assertTrue(result.out().contains("0 chart(s) failed"), result.out());
  }

  @Test
  void defaultsRenderReplicatedServersWithProbesRbacAndDisruptionBudget() {
    List<ObjectNode> docs = render();
    KubernetesManifests.checkSchema(docs);
    assertEquals(
        Set.of(
            "ServiceAccount",
            "ConfigMap",
            "ClusterRole",
            "ClusterRoleBinding",
            "Service",
            "Deployment",
            "PodDisruptionBudget"),
        Set.copyOf(KubernetesManifests.kinds(docs)));

    ObjectNode deployment = KubernetesManifests.only(docs, "Deployment", "meshgate");
    JsonNode spec = deployment.path("spec");
    assertEquals(2, spec.path("replicas").asInt());
    assertEquals(0, spec.at("/strategy/rollingUpdate/maxUnavailable").asInt());
    JsonNode pod = spec.path("template").path("spec");
    JsonNode container = pod.path("containers").get(0);
    List<String> args = strings(container.path("args"));
    serveParses(args);
    assertEquals("/etc/meshgate/policy", args.get(1));
    assertEquals("/etc/meshgate/ca", after(args, "--ca-dir"));
    assertTrue(args.contains("--kubernetes"), args.toString());
    assertEquals("0.0.0.0", after(args, "--admin-bind"));
    assertTrue(args.contains("--admin-token-file"), args.toString());
    assertEquals("json", after(args, "--log-format"));
    assertEquals("info", after(args, "--log-level"));
    long drain = Long.parseLong(after(args, "--drain-period").replace("s", ""));
    assertTrue(pod.path("terminationGracePeriodSeconds").asLong() > drain, pod.toString());

    assertEquals("/ready", container.at("/readinessProbe/httpGet/path").asText());
    assertEquals("admin", container.at("/readinessProbe/httpGet/port").asText());
    assertEquals("/healthz", container.at("/livenessProbe/httpGet/path").asText());
    assertEquals("admin", container.at("/livenessProbe/httpGet/port").asText());
    assertEquals("18001", port(container, "admin"));
    assertEquals("18000", port(container, "xds"));
    assertTrue(container.at("/resources/requests/cpu").isTextual(), container.toString());
    assertTrue(container.at("/resources/requests/memory").isTextual(), container.toString());
    assertTrue(container.at("/resources/limits/memory").isTextual(), container.toString());

    assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean(), pod.toString());
    assertNotEquals(0, pod.at("/securityContext/runAsUser").asInt());
    assertTrue(container.at("/securityContext/readOnlyRootFilesystem").asBoolean());
    assertEquals(false, container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true));
    assertEquals("emptyDir", volumeSource(pod, mountedAt(container, "/tmp")));
    assertEquals("secret", volumeSource(pod, mountedAt(container, "/etc/meshgate/ca")));
    JsonNode ca = volume(pod, mountedAt(container, "/etc/meshgate/ca")).path("secret");
    assertEquals("meshgate-ca", ca.path("secretName").asText());
    assertEquals(
        List.of("ca.crt", "ca.key"),
        StreamSupport.stream(ca.path("items").spliterator(), false)
            .map(i -> i.path("path").asText())
            .toList());
    assertEquals("configMap", volumeSource(pod, mountedAt(container, "/etc/meshgate/policy")));
    defaultPolicyChecks(KubernetesManifests.only(docs, "ConfigMap", "meshgate-policy"));

    JsonNode rules = KubernetesManifests.only(docs, "ClusterRole", "meshgate").path("rules");
    assertEquals(
        Set.of(
            "discovery.k8s.io/endpointslices get,list,watch",
            "/services get,list,watch",
            "/pods get,list,watch"),
        grants(rules));
    JsonNode binding = KubernetesManifests.only(docs, "ClusterRoleBinding", "meshgate");
    assertEquals("meshgate", binding.at("/subjects/0/name").asText());
    assertEquals(pod.path("serviceAccountName").asText(), binding.at("/subjects/0/name").asText());

    JsonNode selector = spec.at("/selector/matchLabels");
    JsonNode pdb = KubernetesManifests.only(docs, "PodDisruptionBudget", "meshgate");
    assertEquals(1, pdb.at("/spec/minAvailable").asInt());
    assertEquals(selector, pdb.at("/spec/selector/matchLabels"));
    JsonNode service = KubernetesManifests.only(docs, "Service", "meshgate");
    assertEquals(selector, service.at("/spec/selector"));
    selector
        .fields()
        .forEachRemaining(e ->
            assertEquals(
                e.getValue(), spec.at("/template/metadata/labels").path(e.getKey()), e.getKey()));
    assertEquals(
        List.of("18000 xds", "18001 admin"),
        StreamSupport.stream(service.at("/spec/ports").spliterator(), false)
            .map(p -> p.path("port").asText() + " " + p.path("targetPort").asText())
            .toList());
  }

  @Test
  void aBundleReplacesThePolicyConfigMap() {
    List<ObjectNode> docs =
        render(
            "--set", "policy.bundle.url=https://artefacts.example/meshgate/policy.zip",
            "--set", "policy.bundle.keySecret=meshgate-bundle-key",
            "--set", "policy.bundle.poll=1m");
    KubernetesManifests.checkSchema(docs);
    assertTrue(!KubernetesManifests.kinds(docs).contains("ConfigMap"), docs.toString());
    JsonNode pod =
        KubernetesManifests.only(docs, "Deployment", "meshgate").at("/spec/template/spec");
    JsonNode container = pod.path("containers").get(0);
    List<String> args = strings(container.path("args"));
    serveParses(args);
    assertEquals("https://artefacts.example/meshgate/policy.zip", after(args, "--bundle"));
    assertEquals("1m", after(args, "--bundle-poll"));
    assertEquals("/etc/meshgate/bundle-key/bundle.pub", after(args, "--bundle-key"));
    assertTrue(!args.contains("/etc/meshgate/policy"), args.toString());
    assertEquals("secret", volumeSource(pod, mountedAt(container, "/etc/meshgate/bundle-key")));
    assertEquals(
        "meshgate-bundle-key", volume(pod, "bundle-key").at("/secret/secretName").asText());
  }

  @Test
  void theServiceMonitorScrapesMetricsWithTheAdminToken() {
    List<ObjectNode> docs = render("--set", "serviceMonitor.enabled=true");
    KubernetesManifests.checkSchema(docs);
    JsonNode monitor = KubernetesManifests.only(docs, "ServiceMonitor", "meshgate");
    JsonNode endpoint = monitor.at("/spec/endpoints/0");
    assertEquals("/metrics", endpoint.path("path").asText());
    assertEquals("http-admin", endpoint.path("port").asText());
    assertEquals("meshgate-admin-token", endpoint.at("/bearerTokenSecret/name").asText());
    assertEquals("token", endpoint.at("/bearerTokenSecret/key").asText());
    JsonNode service = KubernetesManifests.only(docs, "Service", "meshgate");
    assertTrue(
        StreamSupport.stream(service.at("/spec/ports").spliterator(), false)
            .anyMatch(p -> p.path("name").asText().equals("http-admin")));
    assertEquals(
        service.path("metadata").path("labels").path("app.kubernetes.io/component"),
        monitor.at("/spec/selector/matchLabels").path("app.kubernetes.io/component"));
  }

  @Test
  void theGatewayIsStockEnvoyBootstrappedFromASecret() {
    List<ObjectNode> docs = render("--set", "gateway.enabled=true");
    KubernetesManifests.checkSchema(docs);
    JsonNode gateway = KubernetesManifests.only(docs, "Deployment", "meshgate-gateway-edge");
    JsonNode pod = gateway.at("/spec/template/spec");
    JsonNode envoy = pod.path("containers").get(0);
    assertTrue(envoy.path("image").asText().startsWith("envoyproxy/envoy:v"), envoy.toString());
    assertEquals(List.of("envoy"), strings(envoy.path("command")));
    assertEquals("/etc/envoy/envoy.yaml", after(strings(envoy.path("args")), "-c"));
    assertEquals(
        "meshgate-gateway-edge",
        volume(pod, mountedAt(envoy, "/etc/envoy")).at("/secret/secretName").asText());
    assertTrue(envoy.at("/securityContext/readOnlyRootFilesystem").asBoolean());
    assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean());
    assertEquals("http", envoy.at("/readinessProbe/tcpSocket/port").asText());
    KubernetesManifests.only(docs, "Service", "meshgate-gateway-edge");
    KubernetesManifests.only(docs, "PodDisruptionBudget", "meshgate-gateway-edge");
    // Prometheus finds the stats listener of the bootstrap, never the admin port.
    JsonNode annotations = gateway.at("/spec/template/metadata/annotations");
    assertEquals("true", annotations.path("prometheus.io/scrape").asText(), annotations.toString());
    assertTrue(annotations.path("prometheus.io/port").isTextual(), annotations.toString());
    assertEquals("15090", annotations.path("prometheus.io/port").asText());
    assertEquals("/stats/prometheus", annotations.path("prometheus.io/path").asText());
    assertTrue(
        StreamSupport.stream(envoy.path("ports").spliterator(), false)
            .anyMatch(p ->
                p.path("name").asText().equals("http-envoy-prom")
                    && p.path("containerPort").asInt() == 15090),
        envoy.path("ports").toString());
  }

  @Test
  void gatewayScrapeAnnotationsCanBeTurnedOffAndJoinedByOwnOnes() {
    List<ObjectNode> docs =
        render(
            "--set",
            "gateway.enabled=true",
            "--set",
            "gateway.metrics.scrapeAnnotations=false",
            "--set",
            "gateway.podAnnotations.team=edge");
    KubernetesManifests.checkSchema(docs);
    JsonNode annotations =
        KubernetesManifests.only(docs, "Deployment", "meshgate-gateway-edge")
            .at("/spec/template/metadata/annotations");
    assertEquals("edge", annotations.path("team").asText(), annotations.toString());
    assertTrue(annotations.path("prometheus.io/scrape").isMissingNode(), annotations.toString());
  }

  @Test
  void namespacesListedGetOneRoleEach() {
    List<ObjectNode> docs = render("--set", "rbac.namespaces={shop,web}");
    KubernetesManifests.checkSchema(docs);
    assertTrue(!KubernetesManifests.kinds(docs).contains("ClusterRole"), docs.toString());
    List<String> roles = new ArrayList<>();
    for (ObjectNode doc : docs) {
      if (doc.path("kind").asText().equals("Role")) {
        roles.add(doc.at("/metadata/namespace").asText());
        assertEquals(
            Set.of(
                "discovery.k8s.io/endpointslices get,list,watch",
                "/services get,list,watch",
                "/pods get,list,watch"),
            grants(doc.path("rules")));
      }
    }
    assertEquals(List.of("shop", "web"), roles);
    assertEquals(2, KubernetesManifests.kinds(docs).stream().filter("RoleBinding"::equals).count());
  }

  @Test
  void theSchemaCheckCatchesAMisspeltFieldAndAWrongType() {
    ObjectNode deployment = KubernetesManifests.only(render(), "Deployment", "meshgate");
    ObjectNode misspelt = deployment.deepCopy();
    ObjectNode container = (ObjectNode) misspelt.at("/spec/template/spec/containers/0");
    container.set("readinesProbe", container.remove("readinessProbe"));
    AssertionError unknown =
        org.junit.jupiter.api.Assertions.assertThrows(
            AssertionError.class, () -> KubernetesManifests.checkSchema(List.of(misspelt)));
    assertTrue(
        unknown.getMessage().contains(".spec.template.spec.containers[0].readinesProbe"),
        unknown.getMessage());

    ObjectNode wrongType = deployment.deepCopy();
    ((ObjectNode) wrongType.path("spec")).put("replicas", "two");
    org.junit.jupiter.api.Assertions.assertThrows(
        AssertionError.class, () -> KubernetesManifests.checkSchema(List.of(wrongType)));
  }

  @Test
  void aDrainPeriodNotBelowTheGracePeriodIsRefused() {
    List<String> command = template("--set", "drainPeriodSeconds=30");
    Tools.Result result = Tools.run(root, command);
    assertNotEquals(0, result.exit(), result.out());
    assertTrue(
        result.err().contains("drainPeriodSeconds must be below terminationGracePeriodSeconds"),
        result.err());
  }

  @Test
  void thePlainManifestsAreTheChartRenderedWithDefaults() throws IOException {
    List<String> command = template();
    String fresh = Tools.run(root, command).requireOk(command).out();
    String committed = Files.readString(root.resolve("deploy/kubernetes/meshgate.yaml"));
    // The committed file starts with a comment saying how it was made; the rest is helm's output.
    int body = committed.indexOf("---\n");
    assertTrue(committed.substring(0, Math.max(body, 0)).contains(REGEN), "header names " + REGEN);
    assertEquals(
        fresh,
        committed.substring(body),
        "deploy/kubernetes/meshgate.yaml is stale: regenerate it with " + REGEN);
  }

  /** The policy the chart ships by default passes {@code meshgate check}. */
  private static void defaultPolicyChecks(JsonNode configMap) {
    assertTrue(configMap.path("data").has("mesh.mesh"), configMap.toString());
    try {
      Path dir = Files.createTempDirectory("helm-policy");
      Files.writeString(dir.resolve("mesh.mesh"), configMap.at("/data/mesh.mesh").asText());
      StringWriter out = new StringWriter();
      CommandLine cli =
          Meshgate.commandLine(new PrintWriter(out, true), new PrintWriter(out, true));
      assertEquals(0, cli.execute("check", dir.toString()), out.toString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<ObjectNode> render(String... values) {
    List<String> command = template(values);
    return KubernetesManifests.parse(Tools.run(root, command).requireOk(command).out());
  }

  /** The command the plain manifests are made with (scripts/render-manifests.sh), plus values. */
  private static List<String> template(String... values) {
    List<String> command =
        new ArrayList<>(
            List.of(
                helm.toString(),
                "template",
                "meshgate",
                "deploy/helm/meshgate",
                "--namespace",
                "meshgate"));
    command.addAll(List.of(values));
    return command;
  }

  /** {@code serve}'s arguments parse as the real CLI's: every flag exists, every value converts. */
  static void serveParses(List<String> args) {
    assertEquals("serve", args.get(0));
    parses(args);
  }

  /** {@code meshgate ARGS} parses as the real CLI's (nothing runs); fails naming the problem. */
  static void parses(List<String> args) {
    try {
      Meshgate.commandLine(
              new PrintWriter(Writer.nullWriter()), new PrintWriter(Writer.nullWriter()))
          .parseArgs(args.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      throw new AssertionError("meshgate " + args + " does not parse: " + e.getMessage(), e);
    }
  }

  private static Set<String> grants(JsonNode rules) {
    Set<String> grants = new TreeSet<>();
    for (JsonNode rule : rules) {
      for (JsonNode group : rule.path("apiGroups")) {
        for (JsonNode resource : rule.path("resources")) {
          grants.add(
              group.asText()
                  + "/"
                  + resource.asText()
                  + " "
                  + String.join(",", strings(rule.path("verbs"))));
        }
      }
    }
    return grants;
  }

  private static List<String> strings(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private static String after(List<String> args, String flag) {
    int at = args.indexOf(flag);
    assertTrue(at >= 0 && at + 1 < args.size(), flag + " in " + args);
    return args.get(at + 1);
  }

  private static String port(JsonNode container, String name) {
    for (JsonNode port : container.path("ports")) {
      if (port.path("name").asText().equals(name)) {
        return port.path("containerPort").asText();
      }
    }
    throw new AssertionError("no port " + name + " in " + container);
  }

  private static String mountedAt(JsonNode container, String path) {
    for (JsonNode mount : container.path("volumeMounts")) {
      if (mount.path("mountPath").asText().equals(path)) {
        return mount.path("name").asText();
      }
    }
    throw new AssertionError("nothing mounted at " + path + " in " + container);
  }

  private static JsonNode volume(JsonNode pod, String name) {
    for (JsonNode volume : pod.path("volumes")) {
      if (volume.path("name").asText().equals(name)) {
        return volume;
      }
    }
    throw new AssertionError("no volume " + name + " in " + pod);
  }

  /** The volume's source kind: secret, configMap, emptyDir. */
  private static String volumeSource(JsonNode pod, String name) {
    List<String> fields = new ArrayList<>();
    volume(pod, name).fieldNames().forEachRemaining(fields::add);
    fields.remove("name");
    assertEquals(1, fields.size(), fields.toString());
    return fields.get(0);
  }
}
