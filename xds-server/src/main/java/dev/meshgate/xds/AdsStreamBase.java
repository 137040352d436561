package dev.meshgate.xds;

import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What our two ADS streams ({@link SotwStream}, {@link DeltaStream}) share: checking a request's
 * type, joining the proxy's group on its first request, writing responses, and the ways a stream
 * ends. Requests (on gRPC's threads), publishes (on the publisher's) and the end take this stream's
 * lock, which also keeps gRPC's call single-writer.
 *
 * @param <Q> the requests
 * @param <R> the responses, as their encoded bytes
 */
abstract class AdsStreamBase<Q, R> implements StreamObserver<Q>, AdsStream {
  private static final Logger LOG = LoggerFactory.getLogger(AdsStreamBase.class);

  /** The type URL java-control-plane's callbacks are given for an ADS stream. */
  static final String ADS_TYPE_URL = "";

  final long id;
  final AdsGroups groups;
  final ProxyTracker tracker;
  private final ServerCallStreamObserver<R> responses;

  /** The proxy's group, known from its first request. */
  @Nullable String group;

  /** Ended: no more answers (guarded by this stream's lock). */
  boolean closed;

  AdsStreamBase(
      long id, ServerCallStreamObserver<R> responses, AdsGroups groups, ProxyTracker tracker) {
    this.id = id;
    this.responses = responses;
    this.groups = groups;
    this.tracker = tracker;
  }

  /** The request's type URL. */
  abstract String typeUrl(Q request);

  abstract Node node(Q request);

  /** Tells the tracker of a request whose type URL is not empty. */
  abstract void track(Q request);

  /** Handles a request of a type we serve, under this stream's lock, the group joined. */
  abstract void requested(XdsType type, Q request, Optional<Snapshot> snapshot);

  /** Forgets the subscriptions: the stream ended. */
  abstract void forget();

  @Override
  public final void onNext(Q request) {
    String typeUrl = typeUrl(request);
    if (typeUrl.isEmpty()) {
      onError(
          Status.UNKNOWN
              .withDescription(String.format("[%d] type URL is required for ADS", id))
              .asException());
      return;
    }
    track(request);
    Optional<XdsType> type = XdsType.ofTypeUrl(typeUrl);
    if (type.isEmpty()) {
      onError(
          Status.INVALID_ARGUMENT
              .withDescription("this server does not serve " + typeUrl)
              .asException());
      return;
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      Optional<Snapshot> snapshot;
      if (group == null) {
        group = NodeGroups.key(node(request));
        snapshot = groups.join(group, this);
      } else {
        snapshot = groups.snapshot(group);
      }
      requested(type.get(), request, snapshot);
    }
  }

  /** Writes a response; a call the proxy already cancelled is not an error. */
  final void send(R response) {
    try {
      responses.onNext(response);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.CANCELLED) {
        throw e;
      }
    }
  }

  @Override
  public final void onError(Throwable t) {
    if (Status.fromThrowable(t).getCode() != Status.Code.CANCELLED) {
      LOG.error("[{}] stream closed with error", id, t);
    }
    tracker.onStreamCloseWithError(id, ADS_TYPE_URL, t);
    if (close()) {
      responses.onError(Status.fromThrowable(t).asException());
    }
  }

  @Override
  public final void onCompleted() {
    tracker.onStreamClose(id, ADS_TYPE_URL);
    if (close()) {
      responses.onCompleted();
    }
  }

  /** The server ended the call (it drains, or refused the proxy): forget the stream. */
  final void endedByServer() {
    if (close()) {
      tracker.onStreamClose(id, ADS_TYPE_URL);
    }
  }

  /** The call was cancelled (the proxy went away): gRPC ends the call itself. */
  final void cancelled() {
    close();
  }

  /** Stops answering; true the first time, when the call is still ours to end. */
  private synchronized boolean close() {
    if (closed) {
      return false;
    }
    closed = true;
    forget();
    if (group != null) {
      groups.leave(group, this);
    }
    return true;
  }
}
