package dev.meshgate.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import dev.meshgate.compiler.ProxyGroup;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A simulated Envoy given a scheduler opens a failed stream again and asks again with the versions
 * it last ACKed. An ADS server on loopback refuses the first stream; state of the world, it answers
 * each type's first request on the others with version v1; delta, it answers the second stream
 * only. The waits are bounds, not timings.
 */
class SimulatedEnvoyRetryTest {
  private final List<StreamObserver<DiscoveryResponse>> streams = new CopyOnWriteArrayList<>();
  private final List<List<DiscoveryRequest>> requests = new CopyOnWriteArrayList<>();
  private final List<StreamObserver<DeltaDiscoveryResponse>> deltaStreams =
      new CopyOnWriteArrayList<>();
  private final List<List<DeltaDiscoveryRequest>> deltaRequests = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new RefusesTheFirstStream())
            .build()
            .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws Exception {
    retries.shutdownNow();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void aRefusedStreamIsOpenedAgainAndAFailedOneResumesWithTheAckedVersions() throws Exception {
    SimulatedEnvoy envoy = new SimulatedEnvoy("proxy-0", ProxyGroup.sidecar("s0"), false);
    envoy.retryOn(retries);
    envoy.start(channel);

    await(() -> envoy.servedAtNanos() != 0);
    assertThat(envoy.reopened()).isEqualTo(1);
    assertThat(envoy.failure()).isNull();
    assertThat(envoy.down()).isEmpty();

    streams.get(1).onError(Status.UNAVAILABLE.withDescription("gone").asRuntimeException());
    await(() -> requests.size() == 3 && requests.get(2).size() == 4);
    assertThat(envoy.reopened()).isEqualTo(2);
    assertThat(requests.get(2))
        .allSatisfy(r -> {
          assertThat(r.getVersionInfo()).isEqualTo("v1");
          assertThat(r.getResponseNonce()).isEmpty();
        });
    assertThat(requests.get(2).get(0).hasNode()).isTrue();
    assertThat(envoy.seen(SimulatedEnvoy.RDS).responses()).isEqualTo(1); // nothing sent again
  }

  @Test
  void aReopenedDeltaStreamSubscribesAgainWithTheVersionsItHolds() throws Exception {
    SimulatedEnvoy envoy = new SimulatedEnvoy("proxy-0", ProxyGroup.sidecar("s0"), true);
    envoy.retryOn(retries);
    envoy.start(channel);

    await(() -> envoy.servedAtNanos() != 0);
    deltaStreams.get(1).onError(Status.UNAVAILABLE.asRuntimeException());
    await(() -> deltaRequests.size() == 3 && deltaRequests.get(2).size() == 4);
    assertThat(envoy.reopened()).isEqualTo(2);

    Map<String, DeltaDiscoveryRequest> resumed = new HashMap<>();
    deltaRequests.get(2).forEach(r -> resumed.put(r.getTypeUrl(), r));
    DeltaDiscoveryRequest clusters = resumed.get(SimulatedEnvoy.CDS);
    assertThat(clusters.getResourceNamesSubscribeList()).isEmpty(); // wildcard
    assertThat(clusters.getInitialResourceVersionsMap()).containsExactly(Map.entry("c1", "1"));
    DeltaDiscoveryRequest endpoints = resumed.get(SimulatedEnvoy.EDS);
    assertThat(endpoints.getResourceNamesSubscribeList()).containsExactly("c1");
    assertThat(endpoints.getInitialResourceVersionsMap()).containsExactly(Map.entry("c1", "7"));
    assertThat(resumed.values()).allSatisfy(r -> assertThat(r.getResponseNonce()).isEmpty());
  }

  @Test
  void withoutASchedulerAFailedStreamStaysFailed() throws Exception {
    SimulatedEnvoy envoy = new SimulatedEnvoy("proxy-0", ProxyGroup.sidecar("s0"), false);
    envoy.start(channel);

    await(() -> envoy.failure() != null);
    assertThat(envoy.reopened()).isZero();
    assertThat(streams).hasSize(1);
  }

  private static void await(BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!done.getAsBoolean() && System.nanoTime() - deadline < 0) {
      Thread.sleep(10);
    }
    assertThat(done.getAsBoolean()).as("in time").isTrue();
  }

  private final class RefusesTheFirstStream
      extends AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase {
    @Override
    public StreamObserver<DiscoveryRequest> streamAggregatedResources(
        StreamObserver<DiscoveryResponse> responses) {
      streams.add(responses);
      List<DiscoveryRequest> received = new CopyOnWriteArrayList<>();
      requests.add(received);
      if (streams.size() == 1) {
        responses.onError(Status.UNAVAILABLE.withDescription("refused").asRuntimeException());
      }
      return new StreamObserver<>() {
        @Override
        public void onNext(DiscoveryRequest request) {
          received.add(request);
          if (request.getResponseNonce().isEmpty() && !request.getVersionInfo().equals("v1")) {
            responses.onNext(
                DiscoveryResponse.newBuilder()
                    .setTypeUrl(request.getTypeUrl())
                    .setVersionInfo("v1")
                    .setNonce("n1")
                    .build());
          }
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
      };
    }

    @Override
    public StreamObserver<DeltaDiscoveryRequest> deltaAggregatedResources(
        StreamObserver<DeltaDiscoveryResponse> responses) {
      deltaStreams.add(responses);
      int stream = deltaStreams.size();
      List<DeltaDiscoveryRequest> received = new CopyOnWriteArrayList<>();
      deltaRequests.add(received);
      if (stream == 1) {
        responses.onError(Status.UNAVAILABLE.withDescription("refused").asRuntimeException());
      }
      return new StreamObserver<>() {
        @Override
        public void onNext(DeltaDiscoveryRequest request) {
          received.add(request);
          if (stream == 2 && request.getResponseNonce().isEmpty()) {
            DeltaDiscoveryResponse.Builder response =
                DeltaDiscoveryResponse.newBuilder()
                    .setTypeUrl(request.getTypeUrl())
                    .setSystemVersionInfo("v1")
                    .setNonce("n1");
            if (request.getTypeUrl().equals(SimulatedEnvoy.CDS)) {
              Cluster cluster =
                  Cluster.newBuilder().setName("c1").setType(Cluster.DiscoveryType.EDS).build();
              response.addResources(resource("c1", "1", Any.pack(cluster)));
            } else if (request.getTypeUrl().equals(SimulatedEnvoy.EDS)) {
              ClusterLoadAssignment assignment =
                  ClusterLoadAssignment.newBuilder().setClusterName("c1").build();
              response.addResources(resource("c1", "7", Any.pack(assignment)));
            }
            responses.onNext(response.build());
          }
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
      };
    }
  }

  private static Resource resource(String name, String version, Any any) {
    return Resource.newBuilder().setName(name).setVersion(version).setResource(any).build();
  }
}
