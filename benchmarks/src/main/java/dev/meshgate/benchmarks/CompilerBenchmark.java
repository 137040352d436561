package dev.meshgate.benchmarks;

import dev.meshgate.compiler.Compilation;
import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.EnvoyOutput;
import dev.meshgate.compiler.ProxyResources;
import dev.meshgate.compiler.Source;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The compiler through its public API: {@code compile} is parse, check (whole-policy analysis
 * included), lower and translate to Envoy protos of every proxy group; {@code json} is {@link
 * EnvoyOutput#json} of every group of the already compiled policy (what {@code meshgate build} and
 * {@code plan} print).
 *
 * <p>Run it (see docs/benchmarks.md): {@code java -jar benchmarks/target/meshgate-benchmarks.jar
 * CompilerBenchmark -f 1 -wi 2 -i 3 -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CompilerBenchmark {

  /**
   * See {@link Policies#named}. {@code routes-N} and {@code hosts-HxR} are the route analysis at
   * scale (issue 17.3): one host of 10k and 100k routes, and 1,000 hosts of 100. {@code
   * realistic-N} is the load harness's realistic mesh (1,000 services: the 609 KiB policy whose
   * compile the server's edits wait for).
   */
  @Param({
    "quickstart",
    "gateway-100",
    "gateway-1000",
    "mesh-200",
    "routes-10000",
    "routes-100000",
    "hosts-1000x100",
    "realistic-1000"
  })
  public String policy;

  private List<Source> sources;
  private List<ProxyResources> groups;

  @Setup(Level.Trial)
  public void setUp() {
    sources = List.of(Policies.named(policy));
    // Fails the trial rather than measure the error path.
    Compilation compilation = Policies.compileOrFail(sources);
    groups = compilation.policy().orElseThrow().groups();
  }

  /**
   * Asks for the groups: {@link Compiler#compile} translates to Envoy only on demand (issue 17.4),
   * and what the server waits for on an edit includes the translation.
   */
  @Benchmark
  public List<ProxyResources> compile() {
    return Compiler.compile(sources).policy().orElseThrow().groups();
  }

  @Benchmark
  public void json(Blackhole blackhole) {
    for (ProxyResources group : groups) {
      blackhole.consume(EnvoyOutput.json(group));
    }
  }
}
