package dev.meshgate.xds;

import com.google.protobuf.Any;
import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a version a proxy rejected (NACKed) from being sent to it again until that type's resources
 * change, as the xDS protocol asks of a control plane, on java-control-plane's per-type services
 * (state of the world and delta; our ADS streams, {@link SotwStream} and {@link DeltaStream}, hold
 * a NACKed version themselves). Without this, Envoy and java-control-plane loop as fast as the
 * network allows: a NACK carries the last version the proxy <em>accepted</em>, {@code SimpleCache}
 * answers any request whose version differs from the snapshot's, so the rejected version goes out
 * again at once and is rejected again.
 *
 * <p>Two halves, installed together by {@link MeshgateServer}:
 *
 * <ul>
 *   <li>{@link #interceptor()} remembers, per stream and type, the last response sent. A request
 *       with {@code error_detail} whose {@code response_nonce} names that response is a NACK of it:
 *       a state-of-the-world NACK goes on with {@code version_info} set to the rejected version, so
 *       the cache's version check opens a watch that fires only when the snapshot moves past it.
 *       Nothing else changes: the {@link ProxyTracker} still sees the error and the nonce, so
 *       /status and the metrics report the NACK as before.
 *   <li>{@link #watcher(ConfigWatcher)} wraps the cache for the shortcuts that answer before
 *       comparing versions: a state-of-the-world request naming resources the proxy never ACKed
 *       (RDS, EDS) is answered at once, and so is a delta request while subscribed resources were
 *       never ACKed. For a NACK, the resources of the rejected response count as already known, at
 *       the rejected versions.
 * </ul>
 *
 * <p>The two meet while the interceptor hands the NACK to java-control-plane, which creates the
 * watch in that same call ({@code DiscoveryRequestStreamObserver.onNext}); the watcher recognises
 * the request by identity. The hold ends by itself: a new snapshot version of the type, or any
 * request that is not that NACK (a new subscription, a reconnect), is answered as usual.
 */
final class NackHold {
  private static final Logger LOG = LoggerFactory.getLogger(NackHold.class);

  /** A NACK being handed to java-control-plane on this thread, with the response it rejects. */
  private record Rejection(Object request, Sent rejected) {}

  /**
   * What one response carried: its nonce, version, and each resource's name and version. Kept for
   * the last response of every type on every stream, so it holds no response: a delta response's
   * {@code Resource}s are built per stream (about 1.6 KiB per delta proxy at 25 resources), while
   * their names and versions are the snapshot's own strings.
   */
  private sealed interface Sent {
    String nonce();

    String version();

    /** Resource name to resource version (empty versions for state-of-the-world). */
    Map<String, String> resources();
  }

  /** The packed resources are the snapshot's, shared by every stream of the group. */
  private record SentSotw(String nonce, String version, List<Any> packed) implements Sent {
    static SentSotw of(DiscoveryResponse response) {
      return new SentSotw(
          response.getNonce(), response.getVersionInfo(), response.getResourcesList());
    }

    @Override
    public Map<String, String> resources() {
      // Computed only for a NACK: naming a resource means unpacking it.
      Map<String, String> names = new LinkedHashMap<>();
      packed.forEach(any -> names.put(Resources.getResourceName(any), ""));
      return names;
    }
  }

  /** {@code names} and {@code versions} side by side, as the response listed its resources. */
  private record SentDelta(String nonce, String version, List<String> names, List<String> versions)
      implements Sent {
    static SentDelta of(DeltaDiscoveryResponse response) {
      int count = response.getResourcesCount();
      String[] names = new String[count];
      String[] versions = new String[count];
      for (int i = 0; i < count; i++) {
        Resource r = response.getResources(i);
        names[i] = r.getName();
        versions[i] = r.getVersion();
      }
      return new SentDelta(
          response.getNonce(),
          response.getSystemVersionInfo(),
          Arrays.asList(names),
          Arrays.asList(versions));
    }

    @Override
    public Map<String, String> resources() {
      Map<String, String> byName = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        byName.put(names.get(i), versions.get(i));
      }
      return byName;
    }
  }

  private final ThreadLocal<Rejection> handing = new ThreadLocal<>();

  /** The gRPC half: put it innermost, next to the discovery services. */
  ServerInterceptor interceptor() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        // By response type URL. Written by java-control-plane's sending threads, read by gRPC's.
        Map<String, Sent> lastSent = new ConcurrentHashMap<>();
        ServerCall<Q, R> recording =
            new SimpleForwardingServerCall<>(call) {
              @Override
              public void sendMessage(R message) {
                // Before sending: the proxy cannot answer a response before it has it.
                if (message instanceof DiscoveryResponse r) {
                  lastSent.put(r.getTypeUrl(), SentSotw.of(r));
                } else if (message instanceof DeltaDiscoveryResponse r) {
                  lastSent.put(r.getTypeUrl(), SentDelta.of(r));
                }
                super.sendMessage(message);
              }
            };
        return new SimpleForwardingServerCallListener<>(next.startCall(recording, headers)) {
          @Override
          public void onMessage(Q message) {
            Optional<Sent> rejected = rejected(message, lastSent);
            if (rejected.isEmpty()) {
              super.onMessage(message);
              return;
            }
            Q forwarded = withRejectedVersion(message, rejected.get());
            handing.set(new Rejection(forwarded, rejected.get()));
            try {
              super.onMessage(forwarded);
            } finally {
              handing.remove();
            }
          }
        };
      }
    };
  }

  /** The response {@code message} NACKs, when it is a NACK of the last response of its type. */
  private static Optional<Sent> rejected(Object message, Map<String, Sent> lastSent) {
    String typeUrl;
    String nonce;
    if (message instanceof DiscoveryRequest r && r.hasErrorDetail()) {
      typeUrl = r.getTypeUrl();
      nonce = r.getResponseNonce();
    } else if (message instanceof DeltaDiscoveryRequest r && r.hasErrorDetail()) {
      typeUrl = r.getTypeUrl();
      nonce = r.getResponseNonce();
    } else {
      return Optional.empty();
    }
    Sent sent = lastSent.get(typeUrl);
    if (sent == null && typeUrl.isEmpty() && lastSent.size() == 1) {
      // A per-type (non-ADS) stream may leave the type out: it carries one type only.
      Iterator<Sent> only = lastSent.values().iterator();
      sent = only.hasNext() ? only.next() : null;
    }
    if (sent == null || nonce.isEmpty() || !nonce.equals(sent.nonce())) {
      return Optional.empty(); // a stale NACK: java-control-plane ignores it anyway
    }
    return Optional.of(sent);
  }

  @SuppressWarnings("unchecked")
  private static <Q> Q withRejectedVersion(Q message, Sent rejected) {
    if (message instanceof DiscoveryRequest r && !r.getVersionInfo().equals(rejected.version())) {
      return (Q) r.toBuilder().setVersionInfo(rejected.version()).build();
    }
    // A delta request has no version; java-control-plane compares the last one it sent.
    return message;
  }

  /** The NACK being handed over on this thread, if {@code request} is it. */
  private Optional<Sent> rejectedBy(Object request) {
    Rejection r = handing.get();
    return r != null && r.request() == request ? Optional.of(r.rejected()) : Optional.empty();
  }

  /** The cache half: wraps what java-control-plane creates its watches with. */
  ConfigWatcher watcher(ConfigWatcher cache) {
    return new ConfigWatcher() {
      @Override
      public Watch createWatch(
          boolean ads,
          XdsRequest request,
          Set<String> knownResourceNames,
          Consumer<Response> responseConsumer,
          boolean hasClusterChanged,
          boolean allowDefaultEmptyEdsUpdate) {
        Optional<Sent> rejected = rejectedBy(request.v3Request());
        if (rejected.isEmpty()) {
          return cache.createWatch(
              ads,
              request,
              knownResourceNames,
              responseConsumer,
              hasClusterChanged,
              allowDefaultEmptyEdsUpdate);
        }
        LOG.debug(
            "holding {} for node {} until it changes from rejected version {}",
            request.getTypeUrl(),
            request.v3Request().getNode().getId(),
            rejected.get().version());
        // The rejected response answered these names: they are not news to the proxy. And a
        // NACK of endpoints is no reason to send them again because clusters changed.
        Set<String> known = new HashSet<>(knownResourceNames);
        known.addAll(rejected.get().resources().keySet());
        return cache.createWatch(
            ads, request, known, responseConsumer, false, allowDefaultEmptyEdsUpdate);
      }

      @Override
      public DeltaWatch createDeltaWatch(
          DeltaXdsRequest request,
          String requesterVersion,
          Map<String, String> resourceVersions,
          Set<String> pendingResources,
          boolean isWildcard,
          Consumer<DeltaResponse> responseConsumer,
          boolean hasClusterChanged) {
        Optional<Sent> rejected = rejectedBy(request.v3Request());
        if (rejected.isEmpty()) {
          return cache.createDeltaWatch(
              request,
              requesterVersion,
              resourceVersions,
              pendingResources,
              isWildcard,
              responseConsumer,
              hasClusterChanged);
        }
        LOG.debug(
            "holding delta {} for node {} until it changes from rejected version {}",
            request.getTypeUrl(),
            request.v3Request().getNode().getId(),
            rejected.get().version());
        // As if the proxy had the rejected resources at the rejected versions: each goes out
        // again when it changes. Names subscribed meanwhile stay pending and are answered.
        Map<String, String> rejectedResources = rejected.get().resources();
        Map<String, String> versions = new HashMap<>(resourceVersions);
        versions.putAll(rejectedResources);
        Set<String> pending = new HashSet<>(pendingResources);
        pending.removeAll(rejectedResources.keySet());
        return cache.createDeltaWatch(
            request, requesterVersion, versions, pending, isWildcard, responseConsumer, false);
      }
    };
  }
}
