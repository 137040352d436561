package dev.meshgate.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.ListenerIr;
import dev.meshgate.compiler.ir.PathMatchIr;
import dev.meshgate.compiler.ir.PolicyIr;
import dev.meshgate.compiler.ir.Protocol;
import dev.meshgate.compiler.ir.RouteActionIr;
import dev.meshgate.compiler.ir.RouteIr;
import dev.meshgate.compiler.ir.RouteMatchIr;
import dev.meshgate.compiler.ir.ServiceIr;
import dev.meshgate.compiler.ir.ServiceSource;
import dev.meshgate.compiler.ir.VirtualHostIr;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {

  @Test
  void namesEnvoyBinOnlyWhenItIsNotAnExecutableFile(@TempDir Path dir) throws IOException {
    Path notExecutable = Files.writeString(dir.resolve("envoy"), "");
    Path executable = Files.copy(Path.of("/bin/sh"), dir.resolve("sh"));

    assertThat(Demo.whyNoEnvoy(Optional.of(notExecutable.toString())))
        .isEqualTo(
            "meshgate: demo: ENVOY_BIN="
                + notExecutable
                + " is not an executable file, so no Envoy was started.");
    // A good ENVOY_BIN with no Envoy started (a caller's choice, as in the test below) was
    // reported as not executable.
    assertThat(Demo.whyNoEnvoy(Optional.of(executable.toString())))
        .isEqualTo("meshgate: demo: no Envoy binary found, so no Envoy was started.");
    assertThat(Demo.whyNoEnvoy(Optional.empty()))
        .isEqualTo("meshgate: demo: no Envoy binary found, so no Envoy was started.");
  }

  @Test
  void withoutEnvoyStartsLoopbackBackendsAndSaysWhatToRunByHand() throws Exception {
    int free = freePort();
    int taken;
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      taken = busy.getLocalPort();
      PolicyIr ir =
          new PolicyIr(
              List.of(
                  new ServiceIr(
                      "catalog",
                      Protocol.HTTP,
                      new ServiceSource.Static(
                          List.of(
                              new ServiceSource.StaticEndpoint(
                                  "127.0.0.1", free, new TreeMap<>(Map.of("version", "v1"))),
                              new ServiceSource.StaticEndpoint("127.0.0.1", taken, new TreeMap<>()),
                              new ServiceSource.StaticEndpoint("192.0.2.10", 80, new TreeMap<>()))),
                      List.of())),
              List.of(
                  new GatewayIr(
                      "edge",
                      List.of(new ListenerIr("127.0.0.1", 10000)),
                      List.of(
                          new VirtualHostIr(
                              "*",
                              List.of("*"),
                              List.of(
                                  new RouteIr(
                                      "r",
                                      "t:1:1",
                                      new RouteMatchIr(
                                          new PathMatchIr.Exact("/healthz"),
                                          List.of(),
                                          List.of(),
                                          List.of()),
                                      new RouteActionIr.Respond(200, "ok"),
                                      List.of())))),
                      List.of())));
      StringWriter err = new StringWriter();
      try (Demo demo =
          Demo.start(
              ir,
              new Demo.Settings(
                  "127.0.0.1",
                  18000,
                  Optional.empty(),
                  "bin/meshgate",
                  Optional.of(Path.of(".meshgate/ca"))),
              Optional.empty(),
              new PrintWriter(err, true))) {
        HttpResponse<String> r =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + free + "/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(new ObjectMapper().readTree(r.body()).get("service").asText())
            .isEqualTo("catalog");
      }
      assertThat(err.toString())
          .isEqualTo(
              "meshgate: demo: backend catalog answers on http://127.0.0.1:"
                  + free
                  + " {version=v1}\n"
                  + "meshgate: demo: backend catalog not started on 127.0.0.1:"
                  + taken
                  + ": the address is in use (something else answers there)\n"
                  + "meshgate: demo: no Envoy binary found, so no Envoy was started.\n"
                  + "  To get one: install one with scripts/install-envoy.sh (it puts Envoy at .tools/bin/envoy),"
                  + " or set ENVOY_BIN to an Envoy binary, or put `envoy` on PATH.\n"
                  + "  Or start Envoy yourself, in another terminal:\n"
                  + "    bin/meshgate bootstrap --gateway edge --xds 127.0.0.1:18000 --admin-port 9901 --ca-dir .meshgate/ca --output edge.yaml\n"
                  + "    envoy -c edge.yaml --base-id 9901\n"
                  + "meshgate: demo: try these requests:\n"
                  + "  curl -s http://127.0.0.1:10000/healthz   # → 200 \"ok\" from the gateway itself\n"
                  + "meshgate: demo: Ctrl-C stops everything\n");
    }
    // Closed: the backend's port is free again.
    try (ServerSocket again = new ServerSocket(free, 1, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(free);
    }
  }

  @Test
  void loopbackMeansLoopback() {
    assertThat(Demo.isLoopback("127.0.0.1")).isTrue();
    assertThat(Demo.isLoopback("::1")).isTrue();
    assertThat(Demo.isLoopback("192.0.2.10")).isFalse();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
