package dev.meshgate.xds;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open xDS streams, so that a replica that is shutting down can end them one at a time over a
 * drain period (issue 16.2). Ending them all at once would send every Envoy to the other replicas
 * in the same instant; spread out, the survivors take the load a stream at a time.
 */
final class OpenStreams implements ServerInterceptor {
  private static final Logger LOG = LoggerFactory.getLogger(OpenStreams.class);

  /** What a closed stream tells Envoy (it logs it and reconnects). */
  static final Status DRAINING =
      Status.UNAVAILABLE.withDescription(
          "this meshgate replica is shutting down; reconnect to another");

  private final Set<Closable<?, ?>> calls = ConcurrentHashMap.newKeySet();
  private volatile boolean draining;

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    if (draining) {
      call.close(DRAINING, new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Closable<ReqT, RespT> closable = new Closable<>(call);
    calls.add(closable);
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
        next.startCall(closable, headers)) {
      @Override
      public void onComplete() {
        calls.remove(closable);
        super.onComplete();
      }

      @Override
      public void onCancel() {
        calls.remove(closable);
        super.onCancel();
      }
    };
  }

  int open() {
    return calls.size();
  }

  /**
   * Refuses new streams, then ends the open ones evenly spread over {@code period} (the i-th of n
   * at {@code period * i / n}), returning how many it ended. Blocks for about {@code period}.
   */
  int drain(Duration period) throws InterruptedException {
    draining = true;
    List<Closable<?, ?>> open = new ArrayList<>(calls);
    int n = open.size();
    LOG.info("draining {} xDS stream(s) over {} ms", n, period.toMillis());
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long due = start + period.toNanos() * (i + 1) / n;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(Duration.ofNanos(wait));
      }
      open.get(i).end();
    }
    return n;
  }

  /**
   * A call that can be ended from outside its own thread: ServerCall is not thread-safe, so every
   * send and the close are serialized here, and nothing is sent once it is closed (the discovery
   * service may still try to push a response it prepared).
   */
  private static final class Closable<ReqT, RespT>
      extends ForwardingServerCall.SimpleForwardingServerCall<ReqT, RespT> {
    private boolean closed;

    Closable(ServerCall<ReqT, RespT> call) {
      super(call);
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
      if (!closed) {
        super.sendHeaders(headers);
      }
    }

    @Override
    public synchronized void sendMessage(RespT message) {
      if (!closed) {
        super.sendMessage(message);
      }
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      if (!closed) {
        closed = true;
        super.close(status, trailers);
      }
    }

    void end() {
      close(DRAINING, new Metadata());
    }
  }
}
