package dev.meshgate.xds;

import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The aggregated discovery service, answered by our own streams (issue 17.2): state of the world by
 * {@link SotwStream}, delta by {@link DeltaStream}.
 *
 * <p>java-control-plane built every proxy's response on every push: it compared each open watch's
 * version, filtered the snapshot's resources for it, built a response and had gRPC serialize it,
 * per proxy. Here what a group's proxies are sent is encoded once ({@link AdsBody}, {@link
 * DeltaResponses}) and each stream writes it with its own nonce. The methods keep their names and
 * wire format; only the server's response marshallers differ, so Envoy sees the same protocol.
 */
final class AdsService {
  /**
   * java-control-plane numbers its own streams (per-type services) from 0; ours never meet them.
   */
  private static final long FIRST_STREAM_ID = 1L << 40;

  private static final MethodDescriptor<DiscoveryRequest, AdsBody.Response> STREAM =
      AggregatedDiscoveryServiceGrpc.getStreamAggregatedResourcesMethod().toBuilder(
              ProtoUtils.marshaller(DiscoveryRequest.getDefaultInstance()), AdsBody.MARSHALLER)
          .build();

  private static final MethodDescriptor<DeltaDiscoveryRequest, DeltaResponses.Response> DELTA =
      AggregatedDiscoveryServiceGrpc.getDeltaAggregatedResourcesMethod().toBuilder(
              ProtoUtils.marshaller(DeltaDiscoveryRequest.getDefaultInstance()),
              DeltaResponses.MARSHALLER)
          .build();

  private final AdsGroups groups;
  private final ProxyTracker tracker;
  private final AtomicLong streamIds = new AtomicLong(FIRST_STREAM_ID);

  AdsService(AdsGroups groups, ProxyTracker tracker) {
    this.groups = groups;
    this.tracker = tracker;
  }

  /**
   * Every discovery service the server binds: ADS with our streams, and java-control-plane's
   * per-type services (CDS, EDS, LDS, RDS, SDS, each state of the world and delta), which no
   * bootstrap of ours uses but an Envoy configured by hand may.
   */
  static List<ServerServiceDefinition> services(
      V3DiscoveryServer discovery, AdsGroups groups, ProxyTracker tracker) {
    return List.of(
        new AdsService(groups, tracker).service(),
        discovery.getClusterDiscoveryServiceImpl().bindService(),
        discovery.getEndpointDiscoveryServiceImpl().bindService(),
        discovery.getListenerDiscoveryServiceImpl().bindService(),
        discovery.getRouteDiscoveryServiceImpl().bindService(),
        discovery.getSecretDiscoveryServiceImpl().bindService());
  }

  /** The ADS service: both of its methods answered by our streams. */
  ServerServiceDefinition service() {
    return ServerServiceDefinition.builder(AggregatedDiscoveryServiceGrpc.SERVICE_NAME)
        .addMethod(STREAM, ServerCalls.asyncBidiStreamingCall(this::open))
        .addMethod(DELTA, ServerCalls.asyncBidiStreamingCall(this::openDelta))
        .build();
  }

  private StreamObserver<DiscoveryRequest> open(StreamObserver<AdsBody.Response> responses) {
    long id = streamIds.getAndIncrement();
    ServerCallStreamObserver<AdsBody.Response> call =
        (ServerCallStreamObserver<AdsBody.Response>) responses;
    tracker.onStreamOpen(id, AdsStreamBase.ADS_TYPE_URL);
    SotwStream stream = new SotwStream(id, call, groups, tracker);
    call.setOnCancelHandler(stream::cancelled);
    // Ended by the server (drain, a refused identity): gRPC tells the handler, not the stream.
    call.setOnCloseHandler(stream::endedByServer);
    return stream;
  }

  private StreamObserver<DeltaDiscoveryRequest> openDelta(
      StreamObserver<DeltaResponses.Response> responses) {
    long id = streamIds.getAndIncrement();
    ServerCallStreamObserver<DeltaResponses.Response> call =
        (ServerCallStreamObserver<DeltaResponses.Response>) responses;
    tracker.onStreamOpen(id, AdsStreamBase.ADS_TYPE_URL);
    DeltaStream stream = new DeltaStream(id, call, groups, tracker);
    call.setOnCancelHandler(stream::cancelled);
    call.setOnCloseHandler(stream::endedByServer);
    return stream;
  }
}
