package dev.meshgate.xds;

import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The aggregated discovery service with state-of-the-world streams answered by {@link SotwStream}
 * (issue 17.2) and delta streams left to java-control-plane.
 *
 * <p>java-control-plane built every proxy's response on every push: it compared each open watch's
 * version, filtered the snapshot's resources for it, built a {@code DiscoveryResponse} and had gRPC
 * serialize it, per proxy. Here a group's response body is encoded once per type, names and version
 * ({@link AdsBody}) and each stream writes it with its own nonce. The method keeps its name and
 * wire format; only the server's response marshaller differs, so Envoy sees the same protocol.
 */
final class SotwAds {
  /** java-control-plane numbers its own streams (delta, per-type) from 0; ours never meet them. */
  private static final long FIRST_STREAM_ID = 1L << 40;

  private static final MethodDescriptor<DiscoveryRequest, AdsBody.Response> STREAM =
      AggregatedDiscoveryServiceGrpc.getStreamAggregatedResourcesMethod().toBuilder(
              ProtoUtils.marshaller(DiscoveryRequest.getDefaultInstance()), AdsBody.MARSHALLER)
          .build();

  private final AdsGroups groups;
  private final ProxyTracker tracker;
  private final AtomicLong streamIds = new AtomicLong(FIRST_STREAM_ID);

  SotwAds(AdsGroups groups, ProxyTracker tracker) {
    this.groups = groups;
    this.tracker = tracker;
  }

  /**
   * Every discovery service the server binds: ADS with our state-of-the-world streams (delta ADS
   * from java-control-plane), and java-control-plane's per-type services (CDS, EDS, LDS, RDS, SDS),
   * which no bootstrap of ours uses but an Envoy configured by hand may.
   */
  static List<ServerServiceDefinition> services(
      V3DiscoveryServer discovery, AdsGroups groups, ProxyTracker tracker) {
    return List.of(
        new SotwAds(groups, tracker).service(discovery.getAggregatedDiscoveryServiceImpl()),
        discovery.getClusterDiscoveryServiceImpl().bindService(),
        discovery.getEndpointDiscoveryServiceImpl().bindService(),
        discovery.getListenerDiscoveryServiceImpl().bindService(),
        discovery.getRouteDiscoveryServiceImpl().bindService(),
        discovery.getSecretDiscoveryServiceImpl().bindService());
  }

  /** The ADS service: our state-of-the-world method, java-control-plane's other methods. */
  ServerServiceDefinition service(BindableService javaControlPlaneAds) {
    ServerServiceDefinition.Builder service =
        ServerServiceDefinition.builder(AggregatedDiscoveryServiceGrpc.SERVICE_NAME)
            .addMethod(STREAM, ServerCalls.asyncBidiStreamingCall(this::open));
    for (ServerMethodDefinition<?, ?> method : javaControlPlaneAds.bindService().getMethods()) {
      if (!method.getMethodDescriptor().getFullMethodName().equals(STREAM.getFullMethodName())) {
        service.addMethod(method);
      }
    }
    return service.build();
  }

  private StreamObserver<DiscoveryRequest> open(StreamObserver<AdsBody.Response> responses) {
    long id = streamIds.getAndIncrement();
    ServerCallStreamObserver<AdsBody.Response> call =
        (ServerCallStreamObserver<AdsBody.Response>) responses;
    tracker.onStreamOpen(id, SotwStream.ADS_TYPE_URL);
    SotwStream stream = new SotwStream(id, call, groups, tracker);
    call.setOnCancelHandler(stream::cancelled);
    // Ended by the server (drain, a refused identity): gRPC tells the handler, not the stream.
    call.setOnCloseHandler(stream::endedByServer);
    return stream;
  }
}
