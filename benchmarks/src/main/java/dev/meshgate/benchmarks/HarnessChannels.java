package dev.meshgate.benchmarks;

import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.xds.identity.CertificateAuthority;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The gRPC channels (connections) of the simulated Envoys: each group's own, over mutual TLS with
 * credentials the server's CA issues for that group (as bootstrapped Envoys use it), or plaintext.
 *
 * <p>The simulated Envoys' callbacks run on their connection's event loop ({@code directExecutor}):
 * they only note what arrived and write the ACK, and handing each message to a pool thread made the
 * harness's own clients more than half the machine's CPU while 10,000 proxies connected
 * (docs/benchmarks.md, 2026-12-07): the harness measures the server, not its clients.
 */
final class HarnessChannels {
  private final boolean insecure;
  private final Path caDir;
  private final Map<ProxyGroup, List<ManagedChannel>> byGroup = new LinkedHashMap<>();
  private final List<ManagedChannel> all = new ArrayList<>();
  private final Map<ProxyGroup, XdsClientTls> credentials = new HashMap<>();
  private int perGroup = 1;
  private @Nullable CertificateAuthority ca;

  HarnessChannels(boolean insecure, Path caDir) {
    this.insecure = insecure;
    this.caDir = caDir;
  }

  /**
   * Opens {@code perGroup} channels to the server's xDS {@code port} for each of {@code groups}.
   */
  void open(int port, List<ProxyGroup> groups, int perGroup) throws IOException {
    this.perGroup = perGroup;
    for (ProxyGroup group : groups) {
      List<ManagedChannel> list = new ArrayList<>();
      for (int c = 0; c < perGroup; c++) {
        list.add(channel(port, group));
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
        list.add(
            NettyChannelBuilder.forAddress("127.0.0.1", port)
                .usePlaintext()
                .directExecutor()
                .build());
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

  /**
   * Opens as many new channels as there are (the groups keep their credentials, as Envoys keep
   * their certificates), hands out only those from now on, and returns the old ones, for the caller
   * to shut down (they are also shut down by {@link #close}).
   */
  List<ManagedChannel> reopen(int port) throws IOException {
    List<ManagedChannel> old = List.copyOf(all);
    List<ProxyGroup> groups = List.copyOf(byGroup.keySet());
    byGroup.clear();
    open(port, groups, perGroup);
    return old;
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

  private ManagedChannel channel(int port, ProxyGroup group) throws IOException {
    if (insecure) {
      return NettyChannelBuilder.forAddress("127.0.0.1", port)
          .usePlaintext()
          .directExecutor()
          .build();
    }
    XdsClientTls issued = credentials.get(group);
    if (issued == null) {
      if (ca
          == null) { // loaded once, not per group: 10,001 groups took about 6 minutes to get their
        // channels
        ca = CertificateAuthority.loadOrCreate(caDir);
      }
      issued = ProxyCredentials.issue(ca, group, ProxyCredentials.DEFAULT_TTL);
      credentials.put(group, issued);
    }
    ChannelCredentials tls =
        TlsChannelCredentials.newBuilder()
            .keyManager(stream(issued.certPem()), stream(issued.keyPem()))
            .trustManager(stream(issued.caPem()))
            .build();
    return NettyChannelBuilder.forAddress("127.0.0.1", port, tls).directExecutor().build();
  }

  private static InputStream stream(String pem) {
    return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
  }
}
