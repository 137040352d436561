package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyWatcherTest {
  @TempDir Path dir;

  @Test
  void aQuietWindowGivesOneReloadAfterABurstEnds() throws Exception {
    Path policy = Files.writeString(dir.resolve("a.mesh"), "v0");
    AtomicInteger reloads = new AtomicInteger();
    Semaphore reloaded = new Semaphore(0);
    try (PolicyWatcher watcher =
        new PolicyWatcher(
            List.of(dir),
            Duration.ofMillis(300),
            () -> {
              reloads.incrementAndGet();
              reloaded.release();
            })) {
      for (int i = 1; i <= 5; i++) {
        Files.writeString(policy, "v" + i);
      }
      assertThat(reloaded.tryAcquire(10, TimeUnit.SECONDS)).as("a reload after the burst").isTrue();
      assertThat(reloaded.tryAcquire(1, TimeUnit.SECONDS)).as("no second reload").isFalse();
      assertThat(reloads).hasValue(1);
    }
  }

  @Test
  void withoutAQuietWindowABurstOfWritesEndsWithAReloadOfTheLastContent() throws Exception {
    Path policy = Files.writeString(dir.resolve("a.mesh"), "v0");
    AtomicReference<String> lastRead = new AtomicReference<>("");
    AtomicInteger reloads = new AtomicInteger();
    try (PolicyWatcher watcher =
        new PolicyWatcher(
            List.of(dir),
            Duration.ZERO,
            () -> {
              reloads.incrementAndGet();
              try {
                lastRead.set(Files.readString(policy));
              } catch (java.io.IOException e) {
                lastRead.set("unreadable");
              }
            })) {
      int writes = 200;
      for (int i = 1; i <= writes; i++) {
        Files.writeString(policy, "v" + i);
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!lastRead.get().equals("v" + writes) && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(lastRead).as("after %d reloads", reloads.get()).hasValue("v" + writes);
    }
  }

  @Test
  void filesThatNeverStayQuietAreStillReloaded() throws Exception {
    Path policy = Files.writeString(dir.resolve("a.mesh"), "v0");
    Semaphore reloaded = new Semaphore(0);
    // A debounce longer than the pause between writes: without a bound, no reload until they stop.
    try (PolicyWatcher watcher =
        new PolicyWatcher(List.of(dir), Duration.ofMillis(400), reloaded::release)) {
      long stopAt = System.nanoTime() + Duration.ofSeconds(6).toNanos();
      boolean reloadedWhileWriting = false;
      int i = 0;
      while (System.nanoTime() < stopAt && !reloadedWhileWriting) {
        Files.writeString(policy, "v" + ++i);
        reloadedWhileWriting = reloaded.tryAcquire(50, TimeUnit.MILLISECONDS);
      }
      assertThat(reloadedWhileWriting)
          .as("a reload while the file kept changing every 50 ms (%d writes)", i)
          .isTrue();
    }
  }
}
