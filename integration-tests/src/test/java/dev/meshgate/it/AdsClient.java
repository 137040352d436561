package dev.meshgate.it;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A raw ADS client (gRPC, no Envoy): sends exactly the request a test wants, as whoever it wants to
 * claim to be, with whatever credential it holds, and reports what meshgate did.
 */
final class AdsClient implements AutoCloseable {
  static final String CLUSTERS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  static final String LISTENERS = "type.googleapis.com/envoy.config.listener.v3.Listener";
  static final String SECRETS =
      "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";

  /** What came back on one stream: the responses, and how the stream ended (if it did). */
  record Outcome(List<Object> responses, Optional<Status> error) {
    boolean refusedWith(Status.Code code) {
      return responses.isEmpty() && error.map(s -> s.getCode() == code).orElse(false);
    }
  }

  private final ManagedChannel channel;

  private AdsClient(ManagedChannel channel) {
    this.channel = channel;
  }

  /** TLS with a client certificate and key (PEM), trusting {@code caPem}. */
  static AdsClient tls(int port, String caPem, String certPem, String keyPem) {
    try {
      return connect(
          port,
          TlsChannelCredentials.newBuilder()
              .keyManager(pem(certPem), pem(keyPem))
              .trustManager(pem(caPem))
              .build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** TLS trusting {@code caPem}, presenting no client certificate. */
  static AdsClient tlsWithoutClientCertificate(int port, String caPem) {
    try {
      return connect(port, TlsChannelCredentials.newBuilder().trustManager(pem(caPem)).build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Plaintext gRPC, as against {@code --insecure-xds}. */
  static AdsClient plaintext(int port) {
    return connect(port, InsecureChannelCredentials.create());
  }

  private static AdsClient connect(int port, ChannelCredentials credentials) {
    return new AdsClient(Grpc.newChannelBuilderForAddress("127.0.0.1", port, credentials).build());
  }

  private static ByteArrayInputStream pem(String pem) {
    return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
  }

  /** A node claiming group {@code role}:{@code name}, the way Envoy's bootstrap says it. */
  static Node node(String id, String role, String name) {
    return Node.newBuilder()
        .setId(id)
        .setCluster(name)
        .setMetadata(
            Struct.newBuilder()
                .putFields("meshgate.role", Value.newBuilder().setStringValue(role).build()))
        .build();
  }

  /**
   * One state-of-the-world request on a new ADS stream. Returns at the first response, when the
   * server ends the stream, or after {@code wait} with whatever came.
   */
  Outcome sotw(Node node, String typeUrl, List<String> names, Duration wait) {
    List<Object> responses = new CopyOnWriteArrayList<>();
    CompletableFuture<Optional<Status>> done = new CompletableFuture<>();
    StreamObserver<DiscoveryRequest> requests =
        AggregatedDiscoveryServiceGrpc.newStub(channel)
            .streamAggregatedResources(
                new StreamObserver<>() {
                  @Override
                  public void onNext(DiscoveryResponse response) {
                    responses.add(response);
                    done.complete(Optional.empty());
                  }

                  @Override
                  public void onError(Throwable t) {
                    done.complete(Optional.of(Status.fromThrowable(t)));
                  }

                  @Override
                  public void onCompleted() {
                    done.complete(Optional.of(Status.OK));
                  }
                });
    requests.onNext(
        DiscoveryRequest.newBuilder()
            .setNode(node)
            .setTypeUrl(typeUrl)
            .addAllResourceNames(names)
            .build());
    return finish(responses, done, wait, requests);
  }

  /** As {@link #sotw}, over the delta protocol. */
  Outcome delta(Node node, String typeUrl, List<String> names, Duration wait) {
    List<Object> responses = new CopyOnWriteArrayList<>();
    CompletableFuture<Optional<Status>> done = new CompletableFuture<>();
    StreamObserver<DeltaDiscoveryRequest> requests =
        AggregatedDiscoveryServiceGrpc.newStub(channel)
            .deltaAggregatedResources(
                new StreamObserver<>() {
                  @Override
                  public void onNext(DeltaDiscoveryResponse response) {
                    responses.add(response);
                    done.complete(Optional.empty());
                  }

                  @Override
                  public void onError(Throwable t) {
                    done.complete(Optional.of(Status.fromThrowable(t)));
                  }

                  @Override
                  public void onCompleted() {
                    done.complete(Optional.of(Status.OK));
                  }
                });
    requests.onNext(
        DeltaDiscoveryRequest.newBuilder()
            .setNode(node)
            .setTypeUrl(typeUrl)
            .addAllResourceNamesSubscribe(names)
            .build());
    return finish(responses, done, wait, requests);
  }

  private static <T> Outcome finish(
      List<Object> responses,
      CompletableFuture<Optional<Status>> done,
      Duration wait,
      StreamObserver<T> requests) {
    Optional<Status> error;
    try {
      error = done.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      error = Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
    if (error.isEmpty()) {
      try {
        requests.onCompleted();
      } catch (RuntimeException ignored) {
        // the stream may be half-closed already
      }
    }
    return new Outcome(List.copyOf(responses), error);
  }

  /** Names of the resources in a state-of-the-world or delta response. */
  static List<String> resourceNames(Object response) {
    return switch (response) {
      case DiscoveryResponse r -> r.getResourcesList().stream().map(AdsClient::nameOf).toList();
      case DeltaDiscoveryResponse r ->
          r.getResourcesList().stream().map(Resource::getName).toList();
      default -> throw new IllegalArgumentException(response.toString());
    };
  }

  private static String nameOf(com.google.protobuf.Any any) {
    try {
      return switch (any.getTypeUrl()) {
        case CLUSTERS -> any.unpack(io.envoyproxy.envoy.config.cluster.v3.Cluster.class).getName();
        case LISTENERS ->
            any.unpack(io.envoyproxy.envoy.config.listener.v3.Listener.class).getName();
        case SECRETS -> any.unpack(Secret.class).getName();
        default -> any.getTypeUrl();
      };
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The leaf certificates of the TLS certificate secrets in a state-of-the-world SDS response. */
  static List<X509Certificate> certificates(DiscoveryResponse response) {
    return response.getResourcesList().stream()
        .map(any -> {
          try {
            return any.unpack(Secret.class);
          } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
          }
        })
        .filter(Secret::hasTlsCertificate)
        .map(s -> s.getTlsCertificate().getCertificateChain())
        .map(ds ->
            ds.hasInlineBytes()
                ? ds.getInlineBytes().toByteArray()
                : ds.getInlineString().getBytes(StandardCharsets.US_ASCII))
        .map(AdsClient::leaf)
        .toList();
  }

  private static X509Certificate leaf(byte[] pemOrDer) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(pemOrDer));
    } catch (CertificateException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
