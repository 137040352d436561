package dev.meshgate.xds;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.rpc.Status;
import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.xds.identity.ProxyCredentials;
import dev.meshgate.xds.identity.XdsClientTls;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Plays an Envoy on a real loopback gRPC connection (mutual TLS with meshgate-issued credentials,
 * like a bootstrapped Envoy, or plaintext): one ADS stream (state-of-the-world or delta), responses
 * queued for the test to take.
 */
final class XdsTestClient implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(5);

  private final ManagedChannel channel;
  private final Node node;
  private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
  private StreamObserver<DiscoveryRequest> sotw;
  private StreamObserver<DeltaDiscoveryRequest> delta;
  // When the stream failed, taken on gRPC's callback thread: a test that waits for the failure on
  // a thread of its own would otherwise measure when that thread got to run, not when it failed.
  private volatile long failedAtNanos;

  /** A plaintext client of gateway {@code gateway} (for servers started with insecure xDS). */
  XdsTestClient(int port, String nodeId, String gateway) {
    this(plaintext(port), nodeId, "gateway", gateway);
  }

  /**
   * A client of gateway {@code gateway} that connects as an Envoy bootstrapped by meshgate would:
   * over mutual TLS with the group's credentials from the server's CA, or in plaintext when the
   * server runs with insecure xDS.
   */
  XdsTestClient(MeshgateServer server, String nodeId, String gateway) {
    this(channel(server, ProxyGroup.gateway(gateway)), nodeId, "gateway", gateway);
  }

  /** A client claiming group {@code role:name}, connected over {@code channel}. */
  XdsTestClient(ManagedChannel channel, String nodeId, String role, String name) {
    this.channel = channel;
    this.node =
        Node.newBuilder()
            .setId(nodeId)
            .setCluster(name)
            .setMetadata(
                Struct.newBuilder()
                    .putFields(
                        NodeGroups.ROLE_KEY, Value.newBuilder().setStringValue(role).build()))
            .build();
  }

  static ManagedChannel plaintext(int port) {
    return NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  /** The channel an Envoy of {@code group} would use to reach {@code server}. */
  static ManagedChannel channel(MeshgateServer server, ProxyGroup group) {
    if (server.options().insecureXds()) {
      return plaintext(server.xdsPort());
    }
    try {
      return tls(server.xdsPort(), ProxyCredentials.issue(server.options().caDir(), group));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A mutual-TLS channel presenting {@code credentials}; the server is verified with their CA. */
  static ManagedChannel tls(int port, XdsClientTls credentials) {
    try {
      ChannelCredentials tls =
          TlsChannelCredentials.newBuilder()
              .keyManager(stream(credentials.certPem()), stream(credentials.keyPem()))
              .trustManager(stream(credentials.caPem()))
              .build();
      return NettyChannelBuilder.forAddress("127.0.0.1", port, tls).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream stream(String pem) {
    return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
  }

  /** Waits for the stream's end and returns its status (the stream must fail). */
  io.grpc.Status awaitFailure() throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Object o = received.poll(50, TimeUnit.MILLISECONDS);
      if (o instanceof Throwable t) {
        return io.grpc.Status.fromThrowable(t);
      }
    }
    throw new AssertionError("the stream did not fail within " + WAIT);
  }

  /**
   * The {@link System#nanoTime()} at which the stream failed, as seen by gRPC's callback (call
   * after {@link #awaitFailure()}).
   */
  long failedAtNanos() {
    return failedAtNanos;
  }

  Node node() {
    return node;
  }

  private <T> StreamObserver<T> collector() {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        received.add(value);
      }

      @Override
      public void onError(Throwable t) {
        failedAtNanos = System.nanoTime();
        received.add(t);
      }

      @Override
      public void onCompleted() {}
    };
  }

  /** Sends a state-of-the-world request on the ADS stream (opened on first use). */
  void send(DiscoveryRequest request) {
    if (sotw == null) {
      sotw = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(collector());
    }
    sotw.onNext(request);
  }

  void sendDelta(DeltaDiscoveryRequest request) {
    if (delta == null) {
      delta = AggregatedDiscoveryServiceGrpc.newStub(channel).deltaAggregatedResources(collector());
    }
    delta.onNext(request);
  }

  /** A first request for {@code typeUrl}: with the node, no version, no nonce. */
  DiscoveryRequest request(String typeUrl, List<String> names) {
    return DiscoveryRequest.newBuilder()
        .setNode(node)
        .setTypeUrl(typeUrl)
        .addAllResourceNames(names)
        .build();
  }

  /** The ACK of {@code response}, Envoy style: without the node (sent only first, as Envoy may). */
  DiscoveryRequest ack(DiscoveryResponse response, List<String> names) {
    return DiscoveryRequest.newBuilder()
        .setTypeUrl(response.getTypeUrl())
        .setVersionInfo(response.getVersionInfo())
        .setResponseNonce(response.getNonce())
        .addAllResourceNames(names)
        .build();
  }

  DiscoveryRequest nack(DiscoveryResponse response, String acceptedVersion, String message) {
    return DiscoveryRequest.newBuilder()
        .setTypeUrl(response.getTypeUrl())
        .setVersionInfo(acceptedVersion)
        .setResponseNonce(response.getNonce())
        .setErrorDetail(Status.newBuilder().setCode(3).setMessage(message))
        .build();
  }

  DiscoveryResponse next() throws InterruptedException {
    return next(WAIT);
  }

  DiscoveryResponse next(Duration wait) throws InterruptedException {
    Object o = received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    if (o == null) {
      throw new AssertionError("no xDS response within " + wait);
    }
    if (o instanceof Throwable t) {
      throw new AssertionError("stream failed", t);
    }
    return (DiscoveryResponse) o;
  }

  DeltaDiscoveryResponse nextDelta() throws InterruptedException {
    Object o = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    if (o == null) {
      throw new AssertionError("no delta xDS response within " + WAIT);
    }
    if (o instanceof Throwable t) {
      throw new AssertionError("stream failed", t);
    }
    return (DeltaDiscoveryResponse) o;
  }

  /** Nothing arrives within {@code wait}. */
  boolean quiet(Duration wait) throws InterruptedException {
    Object o = received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    if (o != null) {
      received.add(o);
      return false;
    }
    return true;
  }

  @Override
  public void close() {
    if (sotw != null) {
      sotw.onCompleted();
    }
    if (delta != null) {
      delta.onCompleted();
    }
    channel.shutdownNow();
    try {
      channel.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Drops the connection without ending the streams, as a killed Envoy does. */
  void abort() {
    channel.shutdownNow();
  }
}
