package dev.meshgate.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import dev.meshgate.compiler.Source;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The side-by-side benchmark's pure parts: the export the peer reads, CPU times, the policy. */
class PeerExportTest {
  @TempDir Path dir;

  private static DiscoveryResponse response(String type, String version, String name) {
    return DiscoveryResponse.newBuilder()
        .setTypeUrl(type)
        .setVersionInfo(version)
        .setNonce("n-7")
        .addResources(Any.pack(Cluster.newBuilder().setName(name).build()))
        .build();
  }

  private static Map<String, DiscoveryResponse> allTypes(String version) {
    Map<String, DiscoveryResponse> byType = new LinkedHashMap<>();
    for (String type : SimulatedEnvoy.TYPES) {
      byType.put(type, response(type, version, "c-" + version));
    }
    return byType;
  }

  @Test
  void writesOneResponsePerGroupAndTypeAsServedWithoutTheNonce() throws Exception {
    PeerExport.write(dir, "r0", Map.of("edge", allTypes("v1"), "s0", allTypes("v2")));

    assertThat(dir.resolve("r0/edge")).isDirectoryContaining("glob:**/clusters.pb");
    try (var files = Files.list(dir.resolve("r0/s0"))) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted())
          .containsExactly("clusters.pb", "endpoints.pb", "listeners.pb", "routes.pb");
    }
    DiscoveryResponse routes = PeerExport.read(dir, "r0", "s0", SimulatedEnvoy.RDS);
    assertThat(routes.getTypeUrl()).isEqualTo(SimulatedEnvoy.RDS);
    assertThat(routes.getVersionInfo()).isEqualTo("v2");
    assertThat(routes.getNonce()).isEmpty();
    assertThat(routes.getResources(0).unpack(Cluster.class).getName()).isEqualTo("c-v2");
  }

  @Test
  void aServerThatServesTheExportInAnotherOrderDiffersInNothing() throws Exception {
    Map<String, DiscoveryResponse> exported = allTypes("v1");
    exported.put(SimulatedEnvoy.CDS, clusters("v1", "a", "b"));
    PeerExport.write(dir, "r0", Map.of("edge", exported));
    Map<String, DiscoveryResponse> served = allTypes("v1");
    served.put(SimulatedEnvoy.CDS, clusters("v1", "b", "a"));

    assertThat(PeerExport.differences(dir, "r0", Map.of("edge", served))).isEmpty();
  }

  @Test
  void otherResourcesOrVersionsOrAMissingTypeAreDifferences() throws Exception {
    Map<String, DiscoveryResponse> exported = allTypes("v1");
    exported.put(SimulatedEnvoy.CDS, clusters("v1", "a", "b"));
    PeerExport.write(dir, "r0", Map.of("edge", exported));
    Map<String, DiscoveryResponse> served = allTypes("v1");
    served.put(SimulatedEnvoy.CDS, clusters("v1", "a", "c"));
    served.put(SimulatedEnvoy.RDS, response(SimulatedEnvoy.RDS, "v2", "c-v1"));
    served.remove(SimulatedEnvoy.EDS);

    assertThat(PeerExport.differences(dir, "r0", Map.of("edge", served)))
        .containsExactly(
            "edge " + SimulatedEnvoy.CDS + ": other resources",
            "edge " + SimulatedEnvoy.EDS + ": nothing served",
            "edge " + SimulatedEnvoy.RDS + ": version v2, not v1");
  }

  private static DiscoveryResponse clusters(String version, String... names) {
    DiscoveryResponse.Builder response =
        DiscoveryResponse.newBuilder().setTypeUrl(SimulatedEnvoy.CDS).setVersionInfo(version);
    for (String name : names) {
      response.addResources(Any.pack(Cluster.newBuilder().setName(name).build()));
    }
    return response.build();
  }

  @Test
  void aGroupWithoutOneOfTheFourTypesIsRefused() {
    Map<String, DiscoveryResponse> partial = allTypes("v1");
    partial.remove(SimulatedEnvoy.EDS);

    assertThatThrownBy(() -> PeerExport.write(dir, "r0", Map.of("edge", partial)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("edge")
        .hasMessageContaining("ClusterLoadAssignment");
  }

  @Test
  void cpuTimeIsUserPlusSystemTicksAfterTheCommandName() {
    // comm "(my) (jav a)" holds spaces and parentheses; utime 250, stime 50 ticks of 10 ms
    String stat =
        "4242 ((my) (jav a)) S 1 4242 4242 0 -1 4194560 9000 0 3 0 250 50 0 0 20 0 31 0 "
            + "100 5000000 3000";

    assertThat(ProcessCpu.parseMillis(stat)).isEqualTo(3000);
    assertThatThrownBy(() -> ProcessCpu.parseMillis("4242 java S 1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ourOwnProcessHasUsedSomeCpu() throws Exception {
    assertThat(ProcessCpu.millis(ProcessHandle.current().pid())).isPositive();
  }

  @Test
  void theComparedPolicyCompilesInBothVersionsWithStaticBackendEndpoints() {
    HarnessPolicy policy = new HarnessPolicy(3);
    for (int round : List.of(0, 1)) {
      String text = ComparedServer.policyText(policy, round);
      assertThat(text).contains("source static 127.0.0.1:40000, 127.0.0.1:40001");
      Policies.compileOrFail(List.of(new Source("load.mesh", text)));
    }
    assertThat(ComparedServer.versionOf(1)).isEqualTo("r1");
    assertThat(ComparedServer.versionOf(2)).isEqualTo(ComparedServer.versionOf(0));
  }
}
