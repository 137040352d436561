package dev.meshgate.cli.demo;

import dev.meshgate.bootstrap.EnvoyBinary;
import dev.meshgate.bootstrap.ProxyRole;
import dev.meshgate.compiler.ir.AddressIr;
import dev.meshgate.compiler.ir.PolicyIr;
import dev.meshgate.compiler.ir.ServiceIr;
import dev.meshgate.compiler.ir.ServiceSource;
import dev.meshgate.compiler.ir.SidecarIr;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code meshgate serve --demo}: everything the quick start needs around the xDS server, so one
 * command gives a working gateway (and mesh). Stand-in backends answer on the policy's loopback
 * static endpoints, or, for a service with a sidecar, on the sidecar's {@code app} address; one
 * real Envoy per gateway and per sidecar is started when a binary can be found, each with xDS
 * client credentials from the server's CA; and example requests are printed, including calls
 * through a sidecar's outbound port. Everything started here stops on {@link #close()}.
 */
public final class Demo implements AutoCloseable {

  /**
   * Where the demo runs.
   *
   * @param xdsHost the address Envoys reach the xDS server at
   * @param projectRoot where to look for {@code .tools/bin/envoy} (the install script's place)
   * @param command how the user runs meshgate, for commands printed to copy
   * @param caDir the server's CA directory, to issue each Envoy's xDS client certificate from;
   *     empty when the server runs with {@code --insecure-xds}
   */
  public record Settings(
      String xdsHost,
      int xdsPort,
      Optional<Path> projectRoot,
      String command,
      Optional<Path> caDir) {}

  private final List<DemoUpstream> upstreams;
  private final DemoIssuer issuer;
  private final Optional<DemoEnvoys> envoys;
  private final Optional<Thread> watcher;

  private Demo(
      List<DemoUpstream> upstreams,
      DemoIssuer issuer,
      Optional<DemoEnvoys> envoys,
      Optional<Thread> watcher) {
    this.upstreams = upstreams;
    this.issuer = issuer;
    this.envoys = envoys;
    this.watcher = watcher;
  }

  /** Starts the demo for {@code ir}, reporting on {@code err}; never fails for a port in use. */
  public static Demo start(PolicyIr ir, Settings settings, PrintWriter err) throws IOException {
    return start(ir, settings, EnvoyBinary.find(settings.projectRoot()), err);
  }

  static Demo start(PolicyIr ir, Settings settings, Optional<Path> envoy, PrintWriter err)
      throws IOException {
    List<DemoUpstream> upstreams = startUpstreams(ir, err);
    DemoIssuer issuer = DemoIssuer.start(ir, err);
    DemoRateLimits.notes(ir, settings.projectRoot()).forEach(err::println);
    // Tokens first: the curls of protected routes read them from the shell.
    List<String> curls = new ArrayList<>(issuer.exports());
    curls.addAll(CurlExamples.lines(ir, issuer::variable));
    curls.addAll(
        CurlExamples.httpsLines(
            ir, settings.caDir().map(d -> d.resolve("ca.crt").toString()).orElse("CA_DIR/ca.crt")));
    curls.addAll(CurlExamples.sidecarLines(ir));
    List<DemoEnvoys.Proxy> proxies = new ArrayList<>();
    ir.gateways().forEach(g -> proxies.add(new DemoEnvoys.Proxy(ProxyRole.GATEWAY, g.name())));
    ir.sidecars().forEach(s -> proxies.add(new DemoEnvoys.Proxy(ProxyRole.SIDECAR, s.service())));
    if (proxies.isEmpty()) {
      err.println(
          "meshgate: demo: the policy has no gateway and no sidecar, so there is no Envoy to start");
      err.flush();
      return new Demo(upstreams, issuer, Optional.empty(), Optional.empty());
    }
    if (envoy.isEmpty()) {
      printByHand(proxies, settings, err);
      printCurls(curls, err);
      return new Demo(upstreams, issuer, Optional.empty(), Optional.empty());
    }
    Path workDir = Files.createTempDirectory("meshgate-demo-");
    DemoEnvoys envoys;
    try {
      envoys =
          DemoEnvoys.start(
              envoy.get(),
              proxies,
              settings.xdsHost(),
              settings.xdsPort(),
              settings.caDir(),
              workDir);
    } catch (IOException e) {
      upstreams.forEach(DemoUpstream::close);
      issuer.close();
      throw new IOException("cannot start envoy " + envoy.get() + ": " + e.getMessage(), e);
    }
    for (DemoEnvoys.Running r : envoys.envoys()) {
      err.println(
          "meshgate: demo: started envoy for "
              + r.proxy()
              + " (pid "
              + r.process().pid()
              + ", admin http://127.0.0.1:"
              + r.adminPort()
              + "), log: "
              + r.log());
    }
    err.flush();
    // Wait for the Envoys off the main thread, so Ctrl-C during start-up still stops at once.
    Thread watcher =
        Thread.ofVirtual()
            .name("meshgate-demo-envoy-watch")
            .start(() -> {
              try {
                if (envoys.awaitReady(Duration.ofSeconds(30), err)) {
                  int n = envoys.envoys().size();
                  err.println(
                      n == 1
                          ? "meshgate: demo: envoy is ready"
                          : "meshgate: demo: all " + n + " envoys are ready");
                  printCurls(curls, err);
                } else {
                  err.println(
                      "meshgate: demo: without a running Envoy there is nothing to send requests to;"
                          + " fix the problem above and start again (the xDS server is still running)");
                  err.flush();
                }
              } catch (InterruptedException e) {
                // Stopping before Envoy was ready: nothing left to say.
              }
            });
    return new Demo(upstreams, issuer, Optional.of(envoys), Optional.of(watcher));
  }

  /**
   * A stand-in for every service: on its sidecar's {@code app} address when it is in the mesh (its
   * static endpoints are the sidecar's inbound port then), else on its loopback static endpoints.
   */
  private static List<DemoUpstream> startUpstreams(PolicyIr ir, PrintWriter err) {
    List<DemoUpstream> started = new ArrayList<>();
    Set<String> meshed = new HashSet<>();
    for (SidecarIr sidecar : ir.sidecars()) {
      meshed.add(sidecar.service());
      AddressIr app = sidecar.app();
      if (!isLoopback(app.address())) {
        continue;
      }
      try {
        DemoUpstream upstream =
            DemoUpstream.start(sidecar.service(), app.address(), app.port(), new TreeMap<>());
        started.add(upstream);
        err.println(
            "meshgate: demo: app "
                + sidecar.service()
                + " answers on http://"
                + upstream.endpoint()
                + " (behind its sidecar, inbound "
                + sidecar.inbound()
                + ")");
      } catch (BindException e) {
        err.println(
            "meshgate: demo: app "
                + sidecar.service()
                + " not started on "
                + app
                + ": the address is in use (something else answers there)");
      } catch (IOException e) {
        err.println(
            "meshgate: demo: app "
                + sidecar.service()
                + " not started on "
                + app
                + ": "
                + e.getMessage());
      }
    }
    for (ServiceIr service : ir.services()) {
      if (!(service.source() instanceof ServiceSource.Static s)
          || meshed.contains(service.name())) {
        continue;
      }
      for (ServiceSource.StaticEndpoint endpoint : s.endpoints()) {
        if (!isLoopback(endpoint.host())) {
          continue; // a real address: the demo must not pretend to be someone else's server
        }
        try {
          DemoUpstream upstream =
              DemoUpstream.start(
                  service.name(), endpoint.host(), endpoint.port(), endpoint.labels());
          started.add(upstream);
          err.println(
              "meshgate: demo: backend "
                  + service.name()
                  + " answers on http://"
                  + upstream.endpoint()
                  + (endpoint.labels().isEmpty() ? "" : " " + endpoint.labels()));
        } catch (BindException e) {
          err.println(
              "meshgate: demo: backend "
                  + service.name()
                  + " not started on "
                  + endpoint.host()
                  + ":"
                  + endpoint.port()
                  + ": the address is in use (something else answers there)");
        } catch (IOException e) {
          err.println(
              "meshgate: demo: backend "
                  + service.name()
                  + " not started on "
                  + endpoint.host()
                  + ":"
                  + endpoint.port()
                  + ": "
                  + e.getMessage());
        }
      }
    }
    err.flush();
    return started;
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Why no Envoy was started, given ENVOY_BIN. ENVOY_BIN is named only when it is the reason (not
   * an executable file): a caller may start no Envoy with a good one set, as tests do.
   */
  static String whyNoEnvoy(Optional<String> envoyBin) {
    return envoyBin
        .filter(bin -> !bin.isBlank() && !Files.isExecutable(Path.of(bin)))
        .map(bin ->
            "meshgate: demo: ENVOY_BIN="
                + bin
                + " is not an executable file, so no Envoy was started.")
        .orElse("meshgate: demo: no Envoy binary found, so no Envoy was started.");
  }

  private static void printByHand(
      List<DemoEnvoys.Proxy> proxies, Settings settings, PrintWriter err) {
    err.println(whyNoEnvoy(Optional.ofNullable(System.getenv("ENVOY_BIN"))));
    err.println("  To get one: " + EnvoyBinary.HOW_TO_INSTALL + ".");
    err.println("  Or start Envoy yourself, in another terminal:");
    String security =
        settings
            .caDir()
            .map(dir -> " --ca-dir " + CurlExamples.shellWord(dir.toString()))
            .orElse(" --insecure-xds");
    for (int i = 0; i < proxies.size(); i++) {
      DemoEnvoys.Proxy proxy = proxies.get(i);
      int admin = DemoEnvoys.FIRST_ADMIN_PORT + i;
      String xds =
          (settings.xdsHost().contains(":") ? "[" + settings.xdsHost() + "]" : settings.xdsHost())
              + ":"
              + settings.xdsPort();
      String file = proxy.fileStem() + ".yaml";
      err.println(
          "    "
              + settings.command()
              + " bootstrap --"
              + proxy.role().label()
              + " "
              + proxy.name()
              + " --xds "
              + xds
              + " --admin-port "
              + admin
              + security
              + (settings.caDir().isPresent() ? " --output " + file : " > " + file));
      err.println("    envoy -c " + file + " --base-id " + admin);
    }
    err.flush();
  }

  private static void printCurls(List<String> curls, PrintWriter err) {
    if (curls.isEmpty()) {
      return;
    }
    err.println("meshgate: demo: try these requests:");
    curls.forEach(c -> err.println("  " + c));
    err.println("meshgate: demo: Ctrl-C stops everything");
    err.flush();
  }

  @Override
  public void close() {
    watcher.ifPresent(Thread::interrupt);
    envoys.ifPresent(DemoEnvoys::close);
    upstreams.forEach(DemoUpstream::close);
    issuer.close();
  }
}
