package dev.meshgate.discovery.consul;

import dev.meshgate.discovery.EndpointListener;
import dev.meshgate.discovery.ServiceCatalog;
import dev.meshgate.discovery.ServiceQuery;
import dev.meshgate.discovery.Staleness;
import dev.meshgate.discovery.Subscription;
import dev.meshgate.discovery.UnsupportedQueryException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.X509TrustManager;
import org.kiwiproject.consul.Consul;

/**
 * Answers {@link ServiceQuery.Consul} from a Consul agent's health API ({@code GET
 * /v1/health/service/NAME?passing}, passing instances only) with blocking queries: each request
 * carries the last {@code X-Consul-Index} and waits up to {@link ConsulSettings#blockingWait()} for
 * a change, so a change arrives as soon as Consul knows it and an idle service costs one open
 * request per wait period. No polling.
 *
 * <p>One watch (one virtual thread, one request in flight) per distinct query, shared by every
 * subscription to it; it stops when its last subscription is cancelled.
 *
 * <p>Outages: when a request fails, every subscriber keeps the last list it got ({@link
 * EndpointListener#onError} says why), the watch retries with exponential backoff and jitter, logs
 * how stale its endpoints are, and reports itself in {@link #staleness()} until Consul answers
 * again. An empty answer is a real deregistration when Consul is healthy; right after an outage (a
 * restarted agent may have lost or not yet re-synced its registrations, as a dev agent does), an
 * empty answer is held back for {@link ConsulSettings#emptyAfterOutageGrace()}: the last known
 * endpoints keep serving until Consul lists instances again or the grace runs out.
 */
public final class ConsulCatalog implements ServiceCatalog {
  private final ConsulSettings settings;
  private final Consul client;
  private final Clock clock;
  private final Map<ServiceQuery.Consul, ConsulWatch> watches = new HashMap<>(); // guarded by this
  private boolean closed; // guarded by this

  /**
   * True after a request failed and until one succeeds: new watches then do not wait for a first
   * answer.
   */
  private final AtomicBoolean unreachable = new AtomicBoolean();

  private ConsulCatalog(ConsulSettings settings, Consul client, Clock clock) {
    this.settings = settings;
    this.client = client;
    this.clock = clock;
  }

  /**
   * A catalog for the agent in {@code settings}. Does not contact Consul: an agent that is down now
   * is retried by each watch, like one that goes down later.
   *
   * @throws IllegalArgumentException when the CA file cannot be read or holds no certificate
   */
  public static ConsulCatalog connect(ConsulSettings settings) {
    return connect(settings, Clock.systemUTC());
  }

  static ConsulCatalog connect(ConsulSettings settings, Clock clock) {
    Duration wait = settings.blockingWait();
    // Consul answers a blocking query after wait + up to wait/16 of jitter; the read timeout
    // must outlast that or every idle watch would fail.
    long readTimeout = wait.plus(wait.dividedBy(16)).plusSeconds(15).toMillis();
    Consul.Builder builder =
        Consul.builder()
            .withUrl(settings.address().toString())
            .withPing(false)
            .withConnectTimeoutMillis(3_000)
            .withReadTimeoutMillis(readTimeout)
            .withWriteTimeoutMillis(10_000);
    settings.aclToken().ifPresent(builder::withAclToken);
    settings
        .caFile()
        .ifPresent(ca -> {
          X509TrustManager trust = ConsulTls.trustManager(ca);
          builder.withSslContext(ConsulTls.sslContext(trust)).withTrustManager(trust);
        });
    return new ConsulCatalog(settings, builder.build(), clock);
  }

  public ConsulSettings settings() {
    return settings;
  }

  @Override
  public Subscription subscribe(ServiceQuery query, EndpointListener listener) {
    if (!(query instanceof ServiceQuery.Consul consulQuery)) {
      throw new UnsupportedQueryException(query, "the Consul catalog answers Consul sources only");
    }
    ConsulWatch watch;
    boolean fresh;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("Consul catalog is closed");
      }
      watch = watches.get(consulQuery);
      fresh = watch == null;
      if (fresh) {
        watch = new ConsulWatch(consulQuery, settings, client, clock, unreachable, this::release);
        watches.put(consulQuery, watch);
      }
      watch.subscribers++;
    }
    if (fresh) {
      watch.start();
      if (!unreachable.get() && !settings.initialAnswerWait().isZero()) {
        // Deliver the first answer on the subscribing thread when it comes quickly, so the
        // caller's first configuration already has this service's endpoints.
        watch.awaitFirstAnswer(settings.initialAnswerWait());
      }
    }
    return watch.add(listener);
  }

  /** The watches that serve last known endpoints because Consul cannot confirm them now. */
  @Override
  public List<Staleness> staleness() {
    List<ConsulWatch> all;
    synchronized (this) {
      all = List.copyOf(watches.values());
    }
    List<Staleness> stale = new ArrayList<>();
    for (ConsulWatch w : all) {
      w.staleness().ifPresent(stale::add);
    }
    return List.copyOf(stale);
  }

  /** Since when {@code query}'s endpoints are unconfirmed; empty when current or not watched. */
  public Optional<Instant> staleSince(ServiceQuery.Consul query) {
    ConsulWatch w;
    synchronized (this) {
      w = watches.get(query);
    }
    return w == null ? Optional.empty() : w.staleness().map(Staleness::since);
  }

  /** How many distinct queries are watched (one blocking-query loop each). */
  synchronized int watchCount() {
    return watches.size();
  }

  @Override
  public void close() {
    List<ConsulWatch> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = List.copyOf(watches.values());
      watches.clear();
    }
    all.forEach(ConsulWatch::stop);
    client.destroy();
  }

  private synchronized void release(ConsulWatch watch) {
    if (--watch.subscribers == 0 && watches.get(watch.query) == watch) {
      watches.remove(watch.query);
      watch.stop();
    }
  }

  /** Consul cannot currently answer for a watch; its subscribers keep their last endpoints. */
  public static final class ConsulUnavailableException extends RuntimeException {
    ConsulUnavailableException(String message) {
      super(message);
    }

    ConsulUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
