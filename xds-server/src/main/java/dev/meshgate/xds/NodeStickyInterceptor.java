package dev.meshgate.xds;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Envoy may send its node only in the first request of a stream (always for delta xDS, and with
 * {@code set_node_on_first_message_only}), but java-control-plane picks the snapshot group from
 * each request's node. This puts the stream's first node into later requests that lack one, so
 * every request of a stream maps to the same group.
 */
final class NodeStickyInterceptor implements ServerInterceptor {

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
      // gRPC delivers one call's messages one at a time, so no synchronization is needed.
      private Node node;

      @Override
      public void onMessage(Q message) {
        super.onMessage(withNode(message));
      }

      @SuppressWarnings("unchecked")
      private Q withNode(Q message) {
        if (message instanceof DiscoveryRequest r) {
          if (r.hasNode()) {
            node = r.getNode();
          } else if (node != null) {
            return (Q) r.toBuilder().setNode(node).build();
          }
        } else if (message instanceof DeltaDiscoveryRequest r) {
          if (r.hasNode()) {
            node = r.getNode();
          } else if (node != null) {
            return (Q) r.toBuilder().setNode(node).build();
          }
        }
        return message;
      }
    };
  }
}
