package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.Source;
import dev.meshgate.compiler.ast.Decl;
import dev.meshgate.compiler.parse.PolicyParser;
import dev.meshgate.discovery.StaticCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17.1: the compiler warm-up is bounded, stops with the server and never publishes. */
class CompilerWarmupTest {
  static final String POLICY = "gateway edge 8080 2\nendpoint 127.0.0.1 9101 v1\n";
  static final List<Source> SOURCES = List.of(new Source("policy.mesh", POLICY));

  /** Counts compiles; each one may block until released. */
  static final class Counting implements PolicyCompiler {
    final AtomicInteger compiles = new AtomicInteger();
    volatile CountDownLatch gate = new CountDownLatch(0);
    volatile long spinNanos;

    @Override
    public List<Source> load(List<Path> paths) throws IOException {
      return Fixtures.FAKE_COMPILER.load(paths);
    }

    @Override
    public Compilation compile(List<Source> sources) {
      int n = compiles.incrementAndGet();
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      long until = System.nanoTime() + spinNanos;
      while (System.nanoTime() < until) {
        Thread.onSpinWait(); // CPU, for the CPU budget
      }
      if (n == 1) {
        return Fixtures.FAKE_COMPILER.compile(sources);
      }
      // Every later compile gives another policy: had one been published, the version would move.
      List<Source> other = new ArrayList<>(sources);
      other.add(new Source("extra.mesh", "endpoint 127.0.0.1 " + (9200 + n) + " v1\n"));
      return Fixtures.FAKE_COMPILER.compile(other);
    }
  }

  @Test
  void compilesAtMostTheBudgetedCount() throws Exception {
    Counting compiler = new Counting();
    CompilerWarmup warmup =
        CompilerWarmup.start(
            compiler,
            List.of(),
            SOURCES,
            new CompilerWarmup.Budget(25, Duration.ofMinutes(1)),
            () -> false);
    assertThat(warmup.await(Duration.ofSeconds(20))).isTrue();
    assertThat(warmup.compiles()).isEqualTo(25);
    assertThat(compiler.compiles).hasValue(25);
  }

  /** Records the policy versions it compiles; its incremental compiler is another recorder. */
  static class Recording implements PolicyCompiler {
    final List<List<Source>> compiled = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<List<Path>> loaded = new java.util.concurrent.CopyOnWriteArrayList<>();
    final Recording incremental;

    Recording(boolean withIncremental) {
      this.incremental = withIncremental ? new Recording(false) : this;
    }

    @Override
    public List<Source> load(List<Path> paths) throws IOException {
      loaded.add(paths);
      return SOURCES;
    }

    @Override
    public Compilation compile(List<Source> sources) {
      compiled.add(sources);
      return Fixtures.FAKE_COMPILER.compile(SOURCES);
    }

    @Override
    public PolicyCompiler incrementalOnTheCallersThread() {
      return incremental;
    }
  }

  @Test
  void compilesOnItsOwnIncrementalCompilerEditingOneFileAfterAnother() throws Exception {
    Source a = new Source("a.mesh", POLICY);
    Source b = new Source("b.mesh", "endpoint 127.0.0.1 9102 v2\n");
    Recording compiler = new Recording(true);
    CompilerWarmup warmup =
        CompilerWarmup.start(
            compiler,
            List.of(Path.of("policies")),
            List.of(a, b),
            new CompilerWarmup.Budget(4, Duration.ofMinutes(1)),
            () -> false);
    assertThat(warmup.await(Duration.ofSeconds(20))).isTrue();

    assertThat(compiler.compiled).as("none on the stateless compiler").isEmpty();
    assertThat(compiler.incremental.loaded)
        .as("read before each compile, as the reloader reads")
        .containsExactly(
            List.of(Path.of("policies")),
            List.of(Path.of("policies")),
            List.of(Path.of("policies")),
            List.of(Path.of("policies")));
    Source aEdited = new Source("a.mesh", POLICY + "\n# meshgate warm-up 1\n");
    Source bEdited = new Source("b.mesh", "# meshgate warm-up 2\n" + b.text());
    Source aAgain = new Source("a.mesh", POLICY + "\n# meshgate warm-up 3\n");
    assertThat(compiler.incremental.compiled)
        .containsExactly(
            List.of(a, b), List.of(aEdited, b), List.of(a, bEdited), List.of(aAgain, b));
  }

  @Test
  void stopsWhenThePolicyCannotBeRead() throws Exception {
    Recording compiler =
        new Recording(true) {
          @Override
          public PolicyCompiler incrementalOnTheCallersThread() {
            return new Recording(false) {
              @Override
              public List<Source> load(List<Path> paths) throws IOException {
                throw new java.nio.file.NoSuchFileException(paths.get(0).toString());
              }
            };
          }
        };
    CompilerWarmup warmup =
        CompilerWarmup.start(
            compiler,
            List.of(Path.of("gone")),
            SOURCES,
            CompilerWarmup.Budget.DEFAULT,
            () -> false);
    assertThat(warmup.await(Duration.ofSeconds(5))).isTrue();
    assertThat(warmup.compiles()).isZero();
  }

  @Test
  void aWarmUpEditCompilesToTheSamePolicy() {
    List<Source> sources =
        List.of(
            new Source(
                "services.mesh",
                """
                mesh shop {
                  trust-domain "shop.example"
                  mtls strict
                }
                service catalog {
                  source static 127.0.0.1:15101
                  sidecar {
                    inbound 127.0.0.1:15101
                    app 127.0.0.1:9101
                  }
                }
                service orders {
                  source static 127.0.0.1:15201
                  sidecar {
                    inbound 127.0.0.1:15201
                    app 127.0.0.1:9201
                    outbound 127.0.0.1:15001
                  }
                }
                """),
            new Source("allow.mesh", "allow orders -> catalog GET /items/**\n"));
    Compilation loaded = PolicyCompiler.DEFAULT.compile(sources);
    PolicyCompiler edits = PolicyCompiler.DEFAULT.incrementalOnTheCallersThread();
    edits.compile(sources);
    for (int n = 1; n <= 4; n++) {
      List<Source> version = CompilerWarmup.edited(sources, n);
      Compilation edited = edits.compile(version);

      assertThat(version).isNotEqualTo(sources);
      // A comment at the end leaves the edited file's declarations equal, one at the start moves
      // them (their spans) and so makes them unequal: the warm-up compares both ways.
      int file = (n - 1) % sources.size();
      List<Decl> before = PolicyParser.parse(sources.get(file)).file().decls();
      List<Decl> after = PolicyParser.parse(version.get(file)).file().decls();
      if (n % 2 == 1) {
        assertThat(after).as("edit %d", n).isEqualTo(before);
      } else {
        assertThat(after).as("edit %d", n).hasSameSizeAs(before).isNotEqualTo(before);
      }
      assertThat(edited.diagnostics()).isEqualTo(loaded.diagnostics());
      assertThat(edited.policy().orElseThrow().groups())
          .isNotEmpty()
          .isEqualTo(loaded.policy().orElseThrow().groups());
    }
  }

  @Test
  void stopsAtTheCpuBudget() throws Exception {
    Counting compiler = new Counting();
    compiler.spinNanos = TimeUnit.MILLISECONDS.toNanos(5);
    CompilerWarmup warmup =
        CompilerWarmup.start(
            compiler,
            List.of(),
            SOURCES,
            new CompilerWarmup.Budget(300, Duration.ofMillis(30)),
            () -> false);
    assertThat(warmup.await(Duration.ofSeconds(20))).isTrue();
    // 5 ms of CPU each: the 30 ms budget ends it after about six, far below the 300.
    assertThat(warmup.compiles()).isBetween(1, 20);
  }

  @Test
  void stopsOnCloseAfterTheCompileUnderWay() throws Exception {
    Counting compiler = new Counting();
    compiler.gate = new CountDownLatch(1);
    CompilerWarmup warmup =
        CompilerWarmup.start(
            compiler, List.of(), SOURCES, CompilerWarmup.Budget.DEFAULT, () -> false);
    while (compiler.compiles.get() == 0) {
      Thread.sleep(1);
    }
    warmup.close();
    compiler.gate.countDown();
    assertThat(warmup.await(Duration.ofSeconds(5))).isTrue();
    assertThat(compiler.compiles).hasValue(1);
  }

  @Test
  void stepsAsideWhileReloadsRunAndStopsOnCloseMeanwhile() throws Exception {
    Counting compiler = new Counting();
    java.util.concurrent.atomic.AtomicBoolean reloading =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    CompilerWarmup warmup =
        CompilerWarmup.start(
            compiler, List.of(), SOURCES, CompilerWarmup.Budget.DEFAULT, reloading::get);
    Thread.sleep(100);
    assertThat(compiler.compiles).as("nothing while a reload runs").hasValue(0);
    reloading.set(false);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (compiler.compiles.get() < 5 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertThat(compiler.compiles.get()).isGreaterThanOrEqualTo(5);
    reloading.set(true);
    warmup.close();
    assertThat(warmup.await(Duration.ofSeconds(5))).isTrue();
    assertThat(warmup.compiles()).isLessThan(CompilerWarmup.DEFAULT_COMPILES);
  }

  @Test
  void theSystemPropertyTurnsItOffOrLowersTheCount() throws Exception {
    assertThat(CompilerWarmup.Budget.parse("0")).isEqualTo(CompilerWarmup.Budget.NONE);
    assertThat(CompilerWarmup.Budget.parse(null)).isEqualTo(CompilerWarmup.Budget.DEFAULT);
    assertThat(CompilerWarmup.Budget.parse("oops")).isEqualTo(CompilerWarmup.Budget.DEFAULT);
    assertThat(CompilerWarmup.Budget.parse("50").compiles()).isEqualTo(50);
    assertThat(CompilerWarmup.Budget.parse("100000").compiles())
        .isEqualTo(CompilerWarmup.DEFAULT_COMPILES);

    Counting compiler = new Counting();
    CompilerWarmup off =
        CompilerWarmup.start(
            compiler, List.of(), SOURCES, CompilerWarmup.Budget.parse("0"), () -> false);
    assertThat(off.await(Duration.ofSeconds(1))).isTrue();
    Thread.sleep(50);
    assertThat(compiler.compiles).hasValue(0);
  }

  @Test
  void aServerWarmsUpWithoutPublishingCountingOrReloading(@TempDir Path dir, @TempDir Path ca)
      throws Exception {
    Files.writeString(dir.resolve("policy.mesh"), POLICY);
    Counting compiler = new Counting();
    StaticCatalog catalog = new StaticCatalog();
    try (MeshgateServer server =
        MeshgateServer.start(
            ServerOptions.loopback(List.of(dir), ca), catalog, compiler, catalog)) {
      Admin admin = new Admin(server.adminPort());
      String version = admin.status().at("/policy/version").asText();
      String loadedAt = admin.status().at("/policy/lastReload/at").asText();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (compiler.compiles.get() < 21 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(compiler.compiles.get())
          .as("the start's compile and 20 of the warm-up")
          .isGreaterThan(20);
      // Each warm-up compile returned a different policy: none of them is served or counted.
      assertThat(admin.status().at("/policy/version").asText()).isEqualTo(version);
      assertThat(admin.status().at("/policy/lastReload/at").asText()).isEqualTo(loadedAt);
      assertThat(admin.metric("meshgate_policy_compiles_total", "result=\"ok\"")).isEqualTo(1.0);
    }
  }
}
