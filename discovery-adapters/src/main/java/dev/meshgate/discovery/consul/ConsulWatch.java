package dev.meshgate.discovery.consul;

import dev.meshgate.discovery.Endpoint;
import dev.meshgate.discovery.EndpointListener;
import dev.meshgate.discovery.ServiceQuery;
import dev.meshgate.discovery.Staleness;
import dev.meshgate.discovery.Subscription;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.kiwiproject.consul.Consul;
import org.kiwiproject.consul.model.ConsulResponse;
import org.kiwiproject.consul.model.health.ServiceHealth;
import org.kiwiproject.consul.option.ImmutableQueryOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One blocking-query loop and the subscribers it feeds. */
final class ConsulWatch {
  // Logged under ConsulCatalog's name, as before the class was split, so log configuration and
  // output stay the same.
  private static final Logger LOG = LoggerFactory.getLogger(ConsulCatalog.class);

  /** Repeated failures of one watch are logged at WARN at most this often (DEBUG otherwise). */
  private static final Duration WARN_EVERY = Duration.ofSeconds(30);

  final ServiceQuery.Consul query;
  int subscribers; // guarded by the ConsulCatalog that owns this watch

  private final String label;
  private final ConsulSettings settings;
  private final Consul client;
  private final Clock clock;

  /** The catalog's: true after a request of any watch failed and until one succeeds. */
  private final AtomicBoolean unreachable;

  /** Tells the catalog that a subscription was cancelled. */
  private final Consumer<ConsulWatch> release;

  private final ConsulWatchState state;
  private volatile boolean stopped;
  private volatile Thread thread;

  ConsulWatch(
      ServiceQuery.Consul query,
      ConsulSettings settings,
      Consul client,
      Clock clock,
      AtomicBoolean unreachable,
      Consumer<ConsulWatch> release) {
    this.query = query;
    this.label = "consul:" + query.describe();
    this.settings = settings;
    this.client = client;
    this.clock = clock;
    this.unreachable = unreachable;
    this.release = release;
    this.state = new ConsulWatchState(label, clock);
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
    return state.staleness();
  }

  void awaitFirstAnswer(Duration timeout) {
    state.awaitFirstAnswer(timeout, () -> stopped || unreachable.get());
  }

  Subscription add(EndpointListener listener) {
    return state.add(listener, () -> release.accept(this));
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
            settings.emptyAfterOutageGrace().minus(Duration.between(holdingSince, clock.instant()));
        wait = min(wait, max(left, Duration.ofSeconds(1)));
      }
      ConsulResponse<List<ServiceHealth>> response;
      try {
        response =
            client.healthClient().getHealthyServiceInstances(query.service(), options(index, wait));
      } catch (Exception e) { // OkHttp may throw a checked InterruptedException when we stop it
        if (stopped || e instanceof InterruptedException) {
          return;
        }
        failures++;
        unreachable.set(true);
        index = null; // after an outage ask for the state at once, whatever Consul's index is now
        suspect = true;
        Instant now = clock.instant();
        Duration delay = backoff(failures, settings.minBackoff(), settings.maxBackoff());
        String reason = describe(e);
        ConsulWatchState.Failure failure = state.failed(now, reason, e);
        String message =
            "Consul request for {} failed ({}); serving {} last known endpoints, stale for {}s;"
                + " retry {} in {} ms";
        Object[] args = {
          label,
          reason,
          state.knownCount(),
          Duration.between(failure.staleness().since(), now).toSeconds(),
          failures,
          delay.toMillis()
        };
        if (failure.first() || Duration.between(lastWarn, now).compareTo(WARN_EVERY) >= 0) {
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
      unreachable.set(false);
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
      if (endpoints.isEmpty() && untrusted && state.knownCount() > 0) {
        Instant now = clock.instant();
        if (holdingSince == null) {
          holdingSince = now;
          if (!state.isStale()) {
            state.markStale(now, "Consul lists no instance right after an outage or reset");
          }
          LOG.warn(
              "Consul lists no instance of {} right after an outage or a reset of its state;"
                  + " keeping {} last known endpoints for up to {}s unless instances register",
              label,
              state.knownCount(),
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
      state.accept(endpoints);
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

  private boolean sleep(Duration delay) {
    try {
      Thread.sleep(delay);
      return !stopped;
    } catch (InterruptedException e) {
      return false;
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
}
