package dev.meshgate.discovery.consul;

import dev.meshgate.discovery.Endpoint;
import dev.meshgate.discovery.EndpointListener;
import dev.meshgate.discovery.ServiceCatalog;
import dev.meshgate.discovery.ServiceQuery;
import dev.meshgate.discovery.Staleness;
import dev.meshgate.discovery.Subscription;
import dev.meshgate.discovery.UnsupportedQueryException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.model.ConsulResponse;
import org.kiwiproject.consul.model.health.ServiceHealth;
import org.kiwiproject.consul.option.ImmutableQueryOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger LOG = LoggerFactory.getLogger(ConsulCatalog.class);

  /** Repeated failures of one watch are logged at WARN at most this often (DEBUG otherwise). */
  private static final Duration WARN_EVERY = Duration.ofSeconds(30);

  private final ConsulSettings settings;
  private final Consul client;
  private final Clock clock;
  private final Map<ServiceQuery.Consul, Watch> watches = new HashMap<>(); // guarded by this
  private boolean closed; // guarded by this

  /**
   * True after a request failed and until one succeeds: new watches then do not wait for a first
   * answer.
   */
  private volatile boolean unreachable;

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
          X509TrustManager trust = trustManager(ca);
          builder.withSslContext(sslContext(trust)).withTrustManager(trust);
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
    Watch watch;
    boolean fresh;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("Consul catalog is closed");
      }
      watch = watches.get(consulQuery);
      fresh = watch == null;
      if (fresh) {
        watch = new Watch(consulQuery);
        watches.put(consulQuery, watch);
      }
      watch.subscribers++;
    }
    if (fresh) {
      watch.start();
      if (!unreachable && !settings.initialAnswerWait().isZero()) {
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
    List<Watch> all;
    synchronized (this) {
      all = List.copyOf(watches.values());
    }
    List<Staleness> stale = new ArrayList<>();
    for (Watch w : all) {
      w.staleness().ifPresent(stale::add);
    }
    return List.copyOf(stale);
  }

  /** Since when {@code query}'s endpoints are unconfirmed; empty when current or not watched. */
  public Optional<Instant> staleSince(ServiceQuery.Consul query) {
    Watch w;
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
    List<Watch> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = List.copyOf(watches.values());
      watches.clear();
    }
    all.forEach(Watch::stop);
    client.destroy();
  }

  private synchronized void release(Watch watch) {
    if (--watch.subscribers == 0 && watches.get(watch.query) == watch) {
      watches.remove(watch.query);
      watch.stop();
    }
  }

  /** Exponential backoff with "equal jitter": half the step fixed, half random. */
  static Duration backoff(int failures, Duration min, Duration max) {
    long cap = max.toMillis();
    long step = min.toMillis() << Math.min(failures - 1, 20);
    long bounded = Math.min(cap, Math.max(min.toMillis(), step));
    long half = bounded / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
  }

  private static X509TrustManager trustManager(Path caFile) {
    try (InputStream in = Files.newInputStream(caFile)) {
      var certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException("no certificate in Consul CA file " + caFile);
      }
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : certificates) {
        store.setCertificateEntry("consul-ca-" + i++, c);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager tm : factory.getTrustManagers()) {
        if (tm instanceof X509TrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("no X.509 trust manager in this JVM");
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read Consul CA file " + caFile + ": " + e.getMessage(), e);
    }
  }

  private static SSLContext sslContext(X509TrustManager trust) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trust}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS to Consul", e);
    }
  }

  /** One blocking-query loop and the subscribers it feeds. */
  private final class Watch {
    final ServiceQuery.Consul query;
    final String label;
    int subscribers; // guarded by ConsulCatalog.this

    /** Guards deliveries, so that calls for one subscription never overlap and stay in order. */
    private final ReentrantLock lock = new ReentrantLock();

    private final Condition answered = lock.newCondition();
    private final List<Sub> subs = new CopyOnWriteArrayList<>();
    private List<Endpoint> current; // guarded by lock; null until the first answer
    private volatile Staleness stale;
    private volatile boolean stopped;
    private volatile Thread thread;

    Watch(ServiceQuery.Consul query) {
      this.query = query;
      this.label = "consul:" + query.describe();
    }

    void start() {
      thread = Thread.ofVirtual().name("meshgate-consul-" + query.describe()).start(this::run);
    }

    void stop() {
      stopped = true;
      Thread t = thread;
      if (t != null) {
        // A virtual thread blocked on a socket read is woken by an interrupt (the socket is
        // closed), so a blocking query does not outlive its watch by up to `wait`.
        t.interrupt();
      }
    }

    Optional<Staleness> staleness() {
      return Optional.ofNullable(stale);
    }

    void awaitFirstAnswer(Duration timeout) {
      lock.lock();
      try {
        long deadline = System.nanoTime() + timeout.toNanos();
        // Short slices: `unreachable` is set without signalling when another watch fails.
        while (current == null && !stopped && !unreachable) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          answered.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        lock.unlock();
      }
    }

    Subscription add(EndpointListener listener) {
      Sub sub = new Sub(listener);
      lock.lock();
      try {
        subs.add(sub);
        if (current != null) {
          sub.deliver(current);
        }
        if (stale != null) {
          sub.error(new ConsulUnavailableException(label + ": " + stale.reason()));
        }
      } finally {
        lock.unlock();
      }
      return () -> {
        if (sub.cancelled) {
          return;
        }
        sub.cancelled = true;
        subs.remove(sub);
        release(this);
      };
    }

    private void run() {
      BigInteger index = null; // null: answer at once
      boolean suspect = false; // an empty answer may be a reset Consul rather than a deregistration
      Instant holdingSince = null; // when we started holding back an empty answer
      int failures = 0;
      Instant lastWarn = Instant.EPOCH;
      while (!stopped) {
        Duration wait = settings.blockingWait();
        if (holdingSince != null) {
          Duration left =
              settings
                  .emptyAfterOutageGrace()
                  .minus(Duration.between(holdingSince, clock.instant()));
          wait = min(wait, max(left, Duration.ofSeconds(1)));
        }
        ConsulResponse<List<ServiceHealth>> response;
        try {
          response =
              client
                  .healthClient()
                  .getHealthyServiceInstances(query.service(), options(index, wait));
        } catch (Exception e) { // OkHttp may throw a checked InterruptedException when we stop it
          if (stopped || e instanceof InterruptedException) {
            return;
          }
          failures++;
          unreachable = true;
          index = null; // after an outage ask for the state at once, whatever Consul's index is now
          suspect = true;
          Instant now = clock.instant();
          Duration delay = backoff(failures, settings.minBackoff(), settings.maxBackoff());
          String reason = describe(e);
          boolean first;
          // Marking stale and telling the subscribers is one step under the lock: a subscriber
          // added in between would otherwise hear of the outage twice (once from add()).
          lock.lock();
          try {
            first = stale == null;
            if (first) {
              markStale(now, reason);
              notifyError(new ConsulUnavailableException(label + ": " + reason, e));
            } else {
              stale = new Staleness(label, stale.since(), reason, stale.endpoints());
            }
          } finally {
            lock.unlock();
          }
          String message =
              "Consul request for {} failed ({}); serving {} last known endpoints, stale for {}s;"
                  + " retry {} in {} ms";
          Object[] args = {
            label,
            reason,
            knownCount(),
            Duration.between(stale.since(), now).toSeconds(),
            failures,
            delay.toMillis()
          };
          if (first || Duration.between(lastWarn, now).compareTo(WARN_EVERY) >= 0) {
            LOG.warn(message, args);
            lastWarn = now;
          } else {
            LOG.debug(message, args);
          }
          if (!sleep(delay)) {
            return;
          }
          continue;
        }
        if (stopped) {
          return;
        }
        failures = 0;
        unreachable = false;
        BigInteger next = response.getIndex();
        if (index != null && next != null && next.compareTo(index) < 0) {
          // Consul's docs: an index can go backwards (for example when a service's last
          // instance is deregistered); start over with a non-blocking query. Not a sign of an
          // outage by itself: a restart shows as failed requests first.
          index = null;
        } else {
          // An index of 0 (or none) would make the next request return at once forever.
          index = next == null || next.signum() <= 0 ? BigInteger.ONE : next;
        }
        List<Endpoint> endpoints;
        try {
          endpoints = ConsulEndpoints.of(response.getResponse(), settings.zoneKey());
        } catch (RuntimeException e) {
          LOG.warn("unusable answer from Consul for {}: {}", label, e.toString());
          if (!sleep(backoff(1, settings.minBackoff(), settings.maxBackoff()))) {
            return;
          }
          continue;
        }
        // Only an outage makes an empty answer suspect. (X-Consul-KnownLeader cannot help: the
        // streaming backend Consul uses for blocking health queries always sends false.)
        boolean untrusted = suspect;
        LOG.debug("{}: answer at index {} with {} instances", label, next, endpoints.size());
        if (endpoints.isEmpty() && untrusted && knownCount() > 0) {
          Instant now = clock.instant();
          if (holdingSince == null) {
            holdingSince = now;
            if (stale == null) {
              markStale(now, "Consul lists no instance right after an outage or reset");
            }
            LOG.warn(
                "Consul lists no instance of {} right after an outage or a reset of its state;"
                    + " keeping {} last known endpoints for up to {}s unless instances register",
                label,
                knownCount(),
                settings.emptyAfterOutageGrace().toSeconds());
          }
          if (Duration.between(holdingSince, now).compareTo(settings.emptyAfterOutageGrace()) < 0) {
            continue; // the next blocking query returns as soon as something registers
          }
          LOG.warn(
              "Consul still lists no instance of {} after {}s: taking it as a deregistration",
              label,
              settings.emptyAfterOutageGrace().toSeconds());
        }
        holdingSince = null;
        suspect = false;
        accept(endpoints);
      }
    }

    private ImmutableQueryOptions options(BigInteger index, Duration wait) {
      ImmutableQueryOptions.Builder options = ImmutableQueryOptions.builder();
      query.datacenter().ifPresent(options::datacenter);
      query.tag().ifPresent(options::addTag);
      if (index != null) {
        options.index(index).wait(Math.max(1, wait.toSeconds()) + "s");
      }
      return options.build();
    }

    private void accept(List<Endpoint> endpoints) {
      lock.lock();
      try {
        Staleness was = stale;
        if (was != null) {
          stale = null;
          LOG.info(
              "Consul answers again for {} after {}s: {} endpoints",
              label,
              was.age(clock.instant()).toSeconds(),
              endpoints.size());
        }
        if (endpoints.equals(current)) {
          return;
        }
        boolean first = current == null;
        current = endpoints;
        if (first) {
          answered.signalAll();
        }
        LOG.debug("{}: {} endpoints {}", label, endpoints.size(), endpoints);
        for (Sub sub : subs) {
          sub.deliver(endpoints);
        }
      } finally {
        lock.unlock();
      }
    }

    private void markStale(Instant since, String reason) {
      stale = new Staleness(label, since, reason, knownCount());
    }

    private int knownCount() {
      lock.lock();
      try {
        return current == null ? 0 : current.size();
      } finally {
        lock.unlock();
      }
    }

    private void notifyError(Throwable error) {
      lock.lock();
      try {
        answered.signalAll(); // a subscriber waiting for a first answer should not wait any longer
        for (Sub sub : subs) {
          sub.error(error);
        }
      } finally {
        lock.unlock();
      }
    }

    private boolean sleep(Duration delay) {
      try {
        Thread.sleep(delay);
        return !stopped;
      } catch (InterruptedException e) {
        return false;
      }
    }
  }

  /** One subscription's listener; every call is made holding its watch's lock. */
  private static final class Sub {
    final EndpointListener listener;
    volatile boolean cancelled;

    Sub(EndpointListener listener) {
      this.listener = listener;
    }

    void deliver(List<Endpoint> endpoints) {
      if (cancelled) {
        return;
      }
      try {
        listener.onEndpoints(endpoints);
      } catch (RuntimeException e) {
        LOG.warn("endpoint listener failed", e);
      }
    }

    void error(Throwable error) {
      if (cancelled) {
        return;
      }
      try {
        listener.onError(error);
      } catch (RuntimeException e) {
        LOG.warn("endpoint listener failed", e);
      }
    }
  }

  private static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return root == e ? message : e.getMessage() + " (" + message + ")";
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
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
