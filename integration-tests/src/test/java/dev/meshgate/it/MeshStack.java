package dev.meshgate.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshgate.bootstrap.testing.RequiredEnvoy;
import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.PolicySources;
import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.compiler.ProxyResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A whole mesh on loopback: one {@code meshgate serve}, and for every service an app (a {@link
 * Backend} on the sidecar's {@code app} address) with its sidecar Envoy, plus the gateway Envoys
 * asked for. Started once per test class.
 *
 * <p>Policy templates name run-time values as {@code ${orders.inbound}}, {@code
 * ${orders.outbound}}, {@code ${orders.app}} (per service) and {@code ${edge.port}} (per gateway);
 * {@link #service} writes the usual service block with them.
 */
final class MeshStack implements AutoCloseable {
  static final String TRUST_DOMAIN = "shop.example";
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration RELOAD_TIMEOUT = Duration.ofSeconds(10);

  /** A service of the mesh: its application and where its sidecar listens. */
  record Member(String name, Backend app, int inbound, int outbound) {
    /** The service's SPIFFE ID in this stack's trust domain. */
    String spiffeId() {
      return "spiffe://" + TRUST_DOMAIN + "/service/" + name;
    }

    /** A URL straight at the sidecar's mesh port (what a caller without a sidecar would use). */
    String inboundUrl(String path) {
      return "http://127.0.0.1:" + inbound + path;
    }
  }

  private final Path policyFile;
  private final String template;
  private final Map<String, Object> values;
  private final Map<String, Member> members;
  private final Map<String, Integer> gatewayPorts;
  private volatile MeshgateProcess meshgate; // replaced by killAndRestartServer
  private final Map<String, EnvoyProcess> envoys; // by service or gateway name
  private volatile CompiledPolicy compiled; // what meshgate serves now, as far as the test knows

  private MeshStack(
      Path policyFile,
      String template,
      Map<String, Object> values,
      Map<String, Member> members,
      Map<String, Integer> gatewayPorts,
      MeshgateProcess meshgate,
      Map<String, EnvoyProcess> envoys,
      CompiledPolicy compiled) {
    this.policyFile = policyFile;
    this.template = template;
    this.values = values;
    this.members = members;
    this.gatewayPorts = gatewayPorts;
    this.meshgate = meshgate;
    this.envoys = envoys;
    this.compiled = compiled;
  }

  /** The service block of a meshed service whose sidecar binds loopback ports only. */
  static String service(String name) {
    return """
    service NAME {
      source static 127.0.0.1:${NAME.inbound}
      sidecar {
        inbound 127.0.0.1:${NAME.inbound}
        app ${NAME.app}
        outbound 127.0.0.1:${NAME.outbound}
      }
    }
    """
        .replace("NAME", name);
  }

  /**
   * Starts apps, meshgate (with {@code serveArgs}) and one sidecar per service in {@code services},
   * then one Envoy per gateway in {@code gateways}, each connected and having ACKed its group's
   * config.
   */
  static MeshStack start(
      Path workDir,
      String template,
      List<String> services,
      List<String> gateways,
      String... serveArgs) {
    RequiredEnvoy.path(); // skip (or fail in CI) before starting anything
    Map<String, Member> members = new LinkedHashMap<>();
    Map<String, Integer> gatewayPorts = new LinkedHashMap<>();
    Map<String, Object> values = new HashMap<>();
    Map<String, EnvoyProcess> envoys = new LinkedHashMap<>();
    MeshgateProcess meshgate = null;
    try {
      for (String name : services) {
        Member m = new Member(name, Backend.start(name), FreePorts.next(), FreePorts.next());
        members.put(name, m);
        values.put(name + ".inbound", m.inbound());
        values.put(name + ".outbound", m.outbound());
        values.put(name + ".app", m.app().address());
      }
      for (String name : gateways) {
        int port = FreePorts.next();
        gatewayPorts.put(name, port);
        values.put(name + ".port", port);
      }
      Path policyFile =
          Policy.write(workDir.resolve("policy/policy.mesh"), Policy.render(template, values));
      CompiledPolicy compiled = compile(policyFile);
      meshgate = MeshgateProcess.start(policyFile.getParent(), workDir, serveArgs);
      for (String name : services) {
        ProxyResources group = group(compiled, new ProxyGroup(ProxyGroup.Role.SIDECAR, name));
        envoys.put(
            name, GatewayStack.startSidecar(name, meshgate, workDir, group.listeners().size()));
      }
      for (String name : gateways) {
        ProxyResources group = group(compiled, ProxyGroup.gateway(name));
        envoys.put(
            name, GatewayStack.startEnvoy(name, meshgate, workDir, group.listeners().size()));
      }
      MeshStack stack =
          new MeshStack(
              policyFile, template, values, members, gatewayPorts, meshgate, envoys, compiled);
      stack.awaitAllAcked();
      return stack;
    } catch (RuntimeException | AssertionError e) {
      List<AutoCloseable> all = new ArrayList<>(envoys.values());
      all.add(meshgate);
      members.values().forEach(m -> all.add(m.app()));
      try {
        Closer.closeAll(all.toArray(AutoCloseable[]::new));
      } catch (RuntimeException closing) {
        e.addSuppressed(closing);
      }
      throw e;
    }
  }

  /** Compiled here too, to know each group's listeners: a policy error is the test's bug. */
  private static CompiledPolicy compile(Path policyFile) {
    Compilation compilation;
    try {
      compilation = Compiler.compile(PolicySources.load(List.of(policyFile)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return compilation
        .policy()
        .orElseThrow(() ->
            new AssertionError(
                "the test's policy does not compile:\n"
                    + compilation.diagnostics().stream()
                        .map(Diagnostic::render)
                        .collect(Collectors.joining("\n"))));
  }

  private static ProxyResources group(CompiledPolicy compiled, ProxyGroup group) {
    return compiled.groups().stream()
        .filter(g -> g.group().equals(group))
        .findFirst()
        .orElseThrow(() -> new AssertionError("the policy has no group " + group.key()));
  }

  /**
   * Every Envoy of the stack has ACKed the current versions of its group, for each type its group
   * has resources of (Envoy never subscribes to the others).
   */
  void awaitAllAcked() {
    awaitAllAcked(ACK_TIMEOUT);
  }

  /** As {@link #awaitAllAcked()}, waiting up to {@code timeout} for each Envoy. */
  void awaitAllAcked(Duration timeout) {
    envoys.forEach((name, envoy) -> {
      ProxyGroup key =
          members.containsKey(name)
              ? new ProxyGroup(ProxyGroup.Role.SIDECAR, name)
              : ProxyGroup.gateway(name);
      List<String> types = XdsStatus.typesOf(group(compiled, key));
      XdsStatus.awaitAcked(meshgate, envoy.nodeId(), key.key(), types, timeout);
    });
  }

  MeshgateProcess meshgate() {
    return meshgate;
  }

  /**
   * Kills the server with SIGKILL and starts it again on the same ports and CA directory (see
   * {@link MeshgateProcess#killAndRestart}); the Envoys stay and reconnect on their own.
   */
  void killAndRestartServer() {
    meshgate = meshgate.killAndRestart();
  }

  Member member(String service) {
    Member m = members.get(service);
    if (m == null) {
      throw new IllegalArgumentException(
          "no service " + service + " in this stack: " + members.keySet());
    }
    return m;
  }

  Backend app(String service) {
    return member(service).app();
  }

  /** The sidecar of {@code service}, or the Envoy of gateway {@code name}. */
  EnvoyProcess envoy(String name) {
    EnvoyProcess envoy = envoys.get(name);
    if (envoy == null) {
      throw new IllegalArgumentException("no Envoy " + name + " in this stack: " + envoys.keySet());
    }
    return envoy;
  }

  /**
   * What {@code from}'s app does to call {@code to}: a request to its sidecar's outbound port with
   * {@code Host: to}.
   */
  HttpResponse<String> call(String from, String to, String method, String path, String... headers) {
    return Http.send(method, outboundUrl(from, path), withHost(to, headers));
  }

  String outboundUrl(String from, String path) {
    return "http://127.0.0.1:" + member(from).outbound() + path;
  }

  /** {@code headers} with {@code Host: host} in front. */
  static String[] withHost(String host, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Host";
    all[1] = host;
    System.arraycopy(headers, 0, all, 2, headers.length);
    return all;
  }

  /** {@code http://127.0.0.1:PORT/path} of gateway {@code gateway}'s listener. */
  String gatewayUrl(String gateway, String path) {
    Integer port = gatewayPorts.get(gateway);
    if (port == null) {
      throw new IllegalArgumentException("no gateway " + gateway + " in this stack");
    }
    return "http://127.0.0.1:" + port + path;
  }

  /** Rewrites the policy from a new template with the same ports; meshgate reloads it. */
  void updatePolicy(String newTemplate) {
    compiled = compile(Policy.write(policyFile, Policy.render(newTemplate, values)));
  }

  /**
   * {@link #updatePolicy}, then waits until meshgate has reloaded it (a new policy version in
   * /status) and every Envoy has ACKed its group's new config.
   */
  void updatePolicyAndAwaitAcked(String newTemplate) {
    String before = meshgate.status().at("/policy/version").asText();
    updatePolicy(newTemplate);
    Wait.until(
        RELOAD_TIMEOUT,
        "meshgate to reload the policy (version " + before + " before)",
        () -> {
          JsonNode status = meshgate.status();
          if (!status.at("/policy/lastReload/ok").asBoolean(false)) {
            throw new AssertionError("reload failed: " + status.at("/policy/lastReload"));
          }
          return !status.at("/policy/version").asText().equals(before);
        });
    awaitAllAcked();
  }

  /** The template the stack started with. */
  String template() {
    return template;
  }

  /** No Envoy of the stack rejected any configuration. */
  void assertNothingRejected() {
    envoys.values().forEach(EnvoyProcess::assertNothingRejected);
  }

  /** The JSON an app answered with (see {@link Backend}), after checking it is a 200. */
  static JsonNode ok(HttpResponse<String> response) {
    if (response.statusCode() != 200) {
      throw new AssertionError(
          "expected 200, got " + response.statusCode() + ": " + response.body());
    }
    return Http.json(response);
  }

  @Override
  public void close() {
    List<AutoCloseable> all = new ArrayList<>(envoys.values());
    all.add(meshgate);
    members.values().forEach(m -> all.add(m.app()));
    Closer.closeAll(all.toArray(AutoCloseable[]::new));
  }
}
