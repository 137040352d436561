package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The coalescing rules of {@link ReloadTrigger} without a file system: a "file" is an atomic
 * reference, a "reload" copies it to what is "served".
 */
class ReloadTriggerTest {
  private static final long WAIT_SECONDS = 10;

  @Test
  void aSingleEventGivesExactlyOneReload() throws Exception {
    Semaphore reloaded = new Semaphore(0);
    AtomicInteger reloads = new AtomicInteger();
    try (ReloadTrigger trigger =
        new ReloadTrigger(
            Duration.ZERO,
            () -> {
              reloads.incrementAndGet();
              reloaded.release();
            })) {
      trigger.signal();
      assertThat(reloaded.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)).as("reloaded").isTrue();
      assertThat(reloaded.tryAcquire(300, TimeUnit.MILLISECONDS)).as("no second reload").isFalse();
      assertThat(reloads).hasValue(1);
    }
  }

  @Test
  void aDelayedSignalReloadsOnceAfterItsDelay() throws Exception {
    Semaphore reloaded = new Semaphore(0);
    try (ReloadTrigger trigger = new ReloadTrigger(Duration.ZERO, reloaded::release)) {
      long start = System.nanoTime();
      trigger.signalAfter(Duration.ofMillis(200));

      assertThat(reloaded.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)).as("reloaded").isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(200));
      assertThat(reloaded.tryAcquire(300, TimeUnit.MILLISECONDS)).as("no second reload").isFalse();
    }
  }

  @Test
  void aDelayedSignalAfterCloseDoesNothing() throws Exception {
    Semaphore reloaded = new Semaphore(0);
    ReloadTrigger trigger = new ReloadTrigger(Duration.ZERO, reloaded::release);
    trigger.close();

    trigger.signalAfter(Duration.ZERO); // no RejectedExecutionException from the closed executor

    assertThat(reloaded.tryAcquire(300, TimeUnit.MILLISECONDS)).isFalse();
  }

  @Test
  void theFirstEventReloadsWithoutWaitingForQuiet() throws Exception {
    // Leading edge: with events still coming (one every 20 ms, never quiet), the first reload
    // starts anyway. A quiet window would wait for the events to stop.
    CountDownLatch started = new CountDownLatch(1);
    try (ReloadTrigger trigger = new ReloadTrigger(Duration.ZERO, started::countDown)) {
      boolean reloadedWhileSignalling = false;
      for (int i = 0; i < 250 && !reloadedWhileSignalling; i++) {
        trigger.signal();
        reloadedWhileSignalling = started.await(20, TimeUnit.MILLISECONDS);
      }
      assertThat(reloadedWhileSignalling).isTrue();
    }
  }

  @Test
  void eventsDuringAReloadGiveExactlyOneMoreWhichReadsTheLatestContent() throws Exception {
    AtomicReference<String> file = new AtomicReference<>("v1");
    AtomicReference<String> served = new AtomicReference<>("v0");
    CountDownLatch firstStarted = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    AtomicInteger reloads = new AtomicInteger();
    Semaphore done = new Semaphore(0);
    try (ReloadTrigger trigger =
        new ReloadTrigger(
            Duration.ZERO,
            () -> {
              String read = file.get(); // a reload reads the files first, then compiles
              if (reloads.incrementAndGet() == 1) {
                firstStarted.countDown();
                await(releaseFirst);
              }
              served.set(read);
              done.release();
            })) {
      trigger.signal();
      assertThat(firstStarted.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      // Ten edits land while the first reload compiles what it read (v1).
      for (int i = 2; i <= 11; i++) {
        file.set("v" + i);
        trigger.signal();
      }
      releaseFirst.countDown();
      assertThat(done.tryAcquire(2, WAIT_SECONDS, TimeUnit.SECONDS)).as("two reloads").isTrue();
      assertThat(done.tryAcquire(300, TimeUnit.MILLISECONDS)).as("not a third").isFalse();
      assertThat(reloads).hasValue(2);
      assertThat(served).as("the last edit is served").hasValue("v11");
    }
  }

  @Test
  void aBurstFromAnotherThreadAlwaysEndsWithTheLastEditServed() throws Exception {
    for (int round = 0; round < 20; round++) {
      AtomicReference<String> file = new AtomicReference<>("v0");
      AtomicReference<String> served = new AtomicReference<>("v0");
      AtomicInteger reloads = new AtomicInteger();
      try (ReloadTrigger trigger =
          new ReloadTrigger(
              Duration.ZERO,
              () -> {
                String read = file.get();
                reloads.incrementAndGet();
                busy(200_000); // a compile takes a while: edits land during it
                served.set(read);
              })) {
        int edits = 500;
        Thread writer =
            Thread.ofPlatform()
                .start(() -> {
                  for (int i = 1; i <= edits; i++) {
                    file.set("v" + i);
                    trigger.signal();
                  }
                });
        writer.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!served.get().equals("v" + edits) && System.nanoTime() < deadline) {
          Thread.sleep(1);
        }
        assertThat(served).as("round %d: the last edit is served", round).hasValue("v" + edits);
        assertThat(reloads.get())
            .as("round %d: one reload per event at most", round)
            .isBetween(1, edits);
      }
    }
  }

  @Test
  void aQuietWindowStillCoalescesABurstIntoOneReload() throws Exception {
    Semaphore reloaded = new Semaphore(0);
    try (ReloadTrigger trigger = new ReloadTrigger(Duration.ofMillis(300), reloaded::release)) {
      for (int i = 0; i < 5; i++) {
        trigger.signal();
      }
      assertThat(reloaded.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
      assertThat(reloaded.tryAcquire(1, TimeUnit.SECONDS)).as("no second reload").isFalse();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Spins for about {@code nanos}: work, not a sleep, like a compile. */
  private static void busy(long nanos) {
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }
}
