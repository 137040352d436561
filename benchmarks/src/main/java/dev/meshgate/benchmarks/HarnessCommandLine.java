package dev.meshgate.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/** The load harness's command line: {@link XdsLoadHarness.Options} from {@code main}'s args. */
final class HarnessCommandLine {
  static final String USAGE =
      """
      usage: XdsLoadHarness [--proxies N] [--duration 30s] [--services S] [--rounds R]
                            [--channels-per-group C] [--debounce 0ms] [--insecure]
                            [--shape simple|realistic] [--calls 10] [--endpoints 3]
                            [--churn 10s] [--churn-percent 1] [--seed 17]
                            [--edit all|one] [--files] [--delta 0.5]
                            [--reconnect-storm | --reconnect-storms N]
                            [--server-process [--server-xmx 4g]] [--server-histograms DIR]
                            [--settle 0s]
        --proxies N             simulated Envoys (ADS streams), default 200
        --duration D            hard limit for the whole run (250ms, 30s, 2m), default 30s
        --services S            services with sidecars in the policy (groups = S + 1 gateway), default 20
        --rounds R              policy edits and endpoint changes to time, default 3
        --channels-per-group C  gRPC channels (connections) per group, default 1
        --debounce D            the server's policy reload debounce, default 0ms (the server's)
        --insecure              plaintext xDS (default: mutual TLS with CA-issued credentials)
        --shape SHAPE           simple (every sidecar calls backend) or realistic (each calls
                                --calls others, endpoints from the catalog, churned), default simple
        --calls K               realistic: services each service calls, default 10
        --endpoints E           realistic: endpoints per service, default 3
        --churn D               realistic: how long endpoints churn, default 10s (0s: no churn)
        --churn-percent P       realistic: percent of all endpoints replaced per second, default 1
        --seed N                realistic: the seed of the call graph and the churn, default 17
        --edit all|one          realistic: each round's edit changes every call's timeout (all
                                groups) or one more service's calls (one group), default all
        --files                 realistic: the policy as a file per service (and mesh.mesh), as
                                teams keep them; an edit rewrites only the files it changes
        --delta F               fraction of proxies on delta xDS (0..1), default 0
        --reconnect-storm       at the end, close every stream at once and time the reconnection
        --reconnect-storms N    N storms one after the other (0..10): the first meets a server
                                JIT-warmed by the connect only, later ones a warmer one
        --server-process        run the server in a JVM of its own (heap and CPU the server's alone)
        --server-xmx SIZE       the server process's -Xmx, default the JVM's
        --server-histograms DIR write the server's class histograms (idle, connected, edited.txt)
        --settle D              wait D between the connect and the first edit (0s..5m), so the
                                edits meet a server up a while (its compiler warm-up done)\
      """;

  private HarnessCommandLine() {}

  /**
   * The options {@code args} name, the defaults for the rest.
   *
   * @throws IllegalArgumentException with the usage, for {@code --help} or a bad option
   */
  static XdsLoadHarness.Options parse(String... args) {
    XdsLoadHarness.Options o = XdsLoadHarness.Options.defaults();
    int proxies = o.proxies(),
        services = o.services(),
        rounds = o.rounds(),
        channels = o.channelsPerGroup();
    Duration duration = o.duration(), debounce = o.debounce(), settle = o.settle();
    boolean insecure = false;
    int storms = 0;
    boolean serverProcess = false;
    boolean filePerService = false;
    Optional<String> serverXmx = Optional.empty();
    Optional<Path> histograms = Optional.empty();
    boolean realistic = false;
    double delta = o.deltaFraction();
    XdsLoadHarness.Shape.Realistic r = XdsLoadHarness.Shape.Realistic.defaults();
    int calls = r.calls(), endpoints = r.endpointsPerService();
    double churnPercent = r.churnPercent();
    Duration churn = r.churn();
    long seed = r.seed();
    XdsLoadHarness.Edit edit = r.edit();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--insecure" -> insecure = true;
        case "--reconnect-storm" -> storms = Math.max(storms, 1);
        case "--server-process" -> serverProcess = true;
        case "--files" -> filePerService = true;
        case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
        default -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(
                "unknown option or missing value: " + arg + "\n" + USAGE);
          }
          String value = args[++i];
          switch (arg) {
            case "--proxies" -> proxies = Integer.parseInt(value);
            case "--duration" -> duration = parseDuration(value);
            case "--services" -> services = Integer.parseInt(value);
            case "--rounds" -> rounds = Integer.parseInt(value);
            case "--channels-per-group" -> channels = Integer.parseInt(value);
            case "--debounce" -> debounce = parseDuration(value);
            case "--shape" -> realistic = shape(value);
            case "--calls" -> calls = Integer.parseInt(value);
            case "--endpoints" -> endpoints = Integer.parseInt(value);
            case "--churn" -> churn = parseDuration(value);
            case "--churn-percent" -> churnPercent = Double.parseDouble(value);
            case "--seed" -> seed = Long.parseLong(value);
            case "--edit" -> edit = edit(value);
            case "--delta" -> delta = Double.parseDouble(value);
            case "--reconnect-storms" -> storms = Integer.parseInt(value);
            case "--server-xmx" -> serverXmx = Optional.of(value);
            case "--settle" -> settle = parseDuration(value);
            case "--server-histograms" -> histograms = Optional.of(Path.of(value));
            default -> throw new IllegalArgumentException("unknown option: " + arg + "\n" + USAGE);
          }
        }
      }
    }
    XdsLoadHarness.Shape shape =
        realistic
            ? new XdsLoadHarness.Shape.Realistic(
                calls, endpoints, churnPercent, churn, seed, edit, filePerService)
            : new XdsLoadHarness.Shape.Simple();
    return new XdsLoadHarness.Options(
        proxies,
        duration,
        services,
        rounds,
        channels,
        insecure,
        debounce,
        shape,
        delta,
        storms,
        new XdsLoadHarness.ServerJvm(serverProcess, serverXmx, histograms),
        settle);
  }

  private static boolean shape(String value) {
    return switch (value) {
      case "simple" -> false;
      case "realistic" -> true;
      default ->
          throw new IllegalArgumentException(
              "--shape must be simple or realistic: " + value + "\n" + USAGE);
    };
  }

  private static XdsLoadHarness.Edit edit(String value) {
    return switch (value) {
      case "all" -> XdsLoadHarness.Edit.ALL;
      case "one" -> XdsLoadHarness.Edit.ONE;
      default ->
          throw new IllegalArgumentException("--edit must be all or one: " + value + "\n" + USAGE);
    };
  }

  static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
    } else if (t.endsWith("s")) {
      return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
    } else if (t.endsWith("m")) {
      return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
    }
    return Duration.ofSeconds(Long.parseLong(t));
  }
}
