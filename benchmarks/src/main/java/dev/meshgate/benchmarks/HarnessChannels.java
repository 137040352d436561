package dev.meshgate.benchmarks;

import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.xds.MeshgateServer;
import dev.meshgate.xds.identity.ProxyCredentials;
import dev.meshgate.xds.identity.XdsClientTls;
import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC channels (connections) of the simulated Envoys: each group's own, over mutual TLS with
 * credentials the server's CA issues for that group (as bootstrapped Envoys use it), or plaintext.
 */
final class HarnessChannels {
  private final boolean insecure;
  private final Path caDir;
  private final Map<ProxyGroup, List<ManagedChannel>> byGroup = new LinkedHashMap<>();
  private final List<ManagedChannel> all = new ArrayList<>();

  HarnessChannels(boolean insecure, Path caDir) {
    this.insecure = insecure;
    this.caDir = caDir;
  }

  /** Opens {@code perGroup} channels to {@code server} for each of {@code groups}. */
  void open(MeshgateServer server, List<ProxyGroup> groups, int perGroup) throws IOException {
    for (ProxyGroup group : groups) {
      List<ManagedChannel> list = new ArrayList<>();
      for (int c = 0; c < perGroup; c++) {
        list.add(channel(server, group));
      }
      byGroup.put(group, list);
      all.addAll(list);
    }
  }

  /**
   * Opens {@code perGroup} plaintext channels to an xDS server on loopback {@code port} for each of
   * {@code groups}: another control plane than ours (PeerComparison), so no credentials.
   */
  void openPlaintext(int port, List<ProxyGroup> groups, int perGroup) {
    for (ProxyGroup group : groups) {
      List<ManagedChannel> list = new ArrayList<>();
      for (int c = 0; c < perGroup; c++) {
        list.add(NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());
      }
      byGroup.put(group, list);
      all.addAll(list);
    }
  }

  /** The {@code n}th proxy of {@code group}'s channel: the group's channels in turn. */
  ManagedChannel forProxy(ProxyGroup group, int n) {
    List<ManagedChannel> list = byGroup.get(group);
    return list.get(n % list.size());
  }

  /** Shuts every channel down, then waits a little for each to terminate. */
  void close() throws InterruptedException {
    for (ManagedChannel channel : all) {
      channel.shutdownNow();
    }
    for (ManagedChannel channel : all) {
      channel.awaitTermination(2, TimeUnit.SECONDS);
    }
  }

  private ManagedChannel channel(MeshgateServer server, ProxyGroup group) throws IOException {
    if (insecure) {
      return NettyChannelBuilder.forAddress("127.0.0.1", server.xdsPort()).usePlaintext().build();
    }
    XdsClientTls credentials = ProxyCredentials.issue(caDir, group);
    ChannelCredentials tls =
        TlsChannelCredentials.newBuilder()
            .keyManager(stream(credentials.certPem()), stream(credentials.keyPem()))
            .trustManager(stream(credentials.caPem()))
            .build();
    return NettyChannelBuilder.forAddress("127.0.0.1", server.xdsPort(), tls).build();
  }

  private static InputStream stream(String pem) {
    return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
  }
}
