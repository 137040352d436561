package dev.meshgate.cli;

import dev.meshgate.cli.bundle.BundlePoller;
import dev.meshgate.cli.bundle.BundleTarget;
import dev.meshgate.cli.demo.Demo;
import dev.meshgate.compiler.Compilation;
import dev.meshgate.xds.MeshgateServer;
import dev.meshgate.xds.PolicyRejectedException;
import dev.meshgate.xds.RemovalGuard;
import dev.meshgate.xds.ServerOptions;
import dev.meshgate.xds.identity.CertificateAuthority;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Serve the policy to Envoys over xDS.",
    description = {
      "Serves ADS (state of the world and delta) and recompiles when a policy file changes; a"
          + " broken change is reported and the last good config keeps serving.",
      "Admin API: /healthz, /status, /metrics, /version, /config/GROUP, /explain (read by meshgate"
          + " status, config, explain, version). Stop with Ctrl-C or SIGTERM.",
      "xDS is mutual TLS: give each Envoy a bootstrap from 'meshgate bootstrap' with the same --ca-dir.",
      "Exit 1 when the policy has errors at start."
    })
final class ServeCommand implements Callable<Integer> {

  /** Property bin/meshgate sets to the install directory (where .tools/bin/envoy lives). */
  static final String HOME_PROPERTY = "meshgate.home";

  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..*",
      paramLabel = "PATH",
      description = "*.mesh files, or directories searched for them (or --bundle).")
  List<Path> paths;

  @Mixin BundleOptions bundleOptions;

  @Option(
      names = "--xds-port",
      paramLabel = "PORT",
      defaultValue = "18000",
      converter = Ports.AnyPort.class,
      description = "gRPC xDS port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int xdsPort;

  @Option(
      names = "--admin-port",
      paramLabel = "PORT",
      defaultValue = "18001",
      converter = Ports.AnyPort.class,
      description = "Admin HTTP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      defaultValue = "127.0.0.1",
      description = "Address the xDS server listens on (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(
      names = "--admin-bind",
      paramLabel = "ADDRESS",
      defaultValue = ServerOptions.DEFAULT_ADMIN_BIND,
      description =
          "Address the admin API (/status, /config, /explain, /metrics) listens on. Beyond"
              + " loopback it needs --admin-token-file (docs/operations.md) (default:"
              + " ${DEFAULT-VALUE}).")
  String adminBind;

  @Option(
      names = "--admin-token-file",
      paramLabel = "FILE",
      description =
          "Protect the admin API with the bearer token in FILE (at least 16 characters, e.g."
              + " 'openssl rand -hex 32 > FILE'): every page but /healthz then needs 'Authorization:"
              + " Bearer TOKEN' (meshgate status/config/explain/version take --token-file FILE)."
              + " Required when --admin-bind is not loopback.")
  Path adminTokenFile;

  @Option(
      names = "--max-removal",
      paramLabel = "PERCENT",
      defaultValue = "50%",
      description =
          "Hold a reload that removes more than this share of the served routes or clusters (and"
              + " at least 5), as a broken policy is held; a reload to no gateway or sidecar at all"
              + " is always held (default: ${DEFAULT-VALUE}).")
  String maxRemoval;

  @Option(
      names = "--allow-removal",
      description = "Apply every reload, even one that removes every proxy group or most routes.")
  boolean allowRemoval;

  @Option(
      names = "--demo",
      description =
          "Quick start: also start stand-in backends on the policy's loopback static endpoints, one"
              + " Envoy per gateway (when an Envoy binary is found), and print example requests.")
  boolean demo;

  @Mixin DiscoveryMixin discovery;

  @Mixin LoggingOptions logging;

  @Option(
      names = "--ca-dir",
      paramLabel = "DIR",
      defaultValue = Credentials.CA_DIR_DEFAULT,
      description =
          "The built-in CA: ca.crt and ca.key, generated there on first start; put your own CA"
              + " (or an intermediate, followed by its chain) there instead (default: $MESHGATE_CA_DIR,"
              + " else .meshgate/ca; now ${DEFAULT-VALUE}).")
  Path caDir;

  @Option(
      names = "--cert-ttl",
      paramLabel = "DURATION",
      defaultValue = "24h",
      converter = DurationOption.class,
      description =
          "Lifetime of workload certificates served over SDS; each is replaced at half its life,"
              + " without restarting Envoy (default: ${DEFAULT-VALUE}).")
  java.time.Duration certTtl;

  @Option(
      names = "--reload-debounce",
      paramLabel = "DURATION",
      defaultValue = "0s",
      converter = DurationOption.class,
      description =
          "0s (the default): a policy change is compiled at the first file event, and once more"
              + " if files changed while it compiled. A longer time waits until the files stayed"
              + " quiet that long, for tools that rewrite a policy file in place in several"
              + " writes (for example 20ms).")
  java.time.Duration reloadDebounce;

  @Option(
      names = "--drain-period",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationOption.class,
      description =
          "On SIGTERM or Ctrl-C: /ready turns 503 and new xDS streams are refused at once, then the"
              + " open streams are ended one at a time, evenly over DURATION, so their Envoys move"
              + " to the other replicas a few at a time (0s ends them all at once) (default:"
              + " ${DEFAULT-VALUE}). Keep it below the orchestrator's grace period (Kubernetes:"
              + " terminationGracePeriodSeconds, 30s by default).")
  java.time.Duration drainPeriod;

  @Option(
      names = "--insecure-xds",
      description =
          "DEVELOPMENT ONLY: serve xDS in plaintext and without authenticating proxies, so anyone who can"
              + " reach the port gets any configuration and key. By default xDS is mutual TLS.")
  boolean insecureXds;

  @Option(
      names = "--ratelimit-config",
      paramLabel = "DIR",
      description =
          "Global rate limits: write the configuration of Envoy's rate-limit service for the served"
              + " policy into DIR (one <gateway>.yaml per gateway with global limits), again on"
              + " every reload. Run the service with RUNTIME_ROOT and RUNTIME_SUBDIRECTORY naming"
              + " DIR's parent's parent and parent, RUNTIME_APPDIRECTORY DIR's name and"
              + " RUNTIME_WATCH_ROOT=false, so it reloads the files (docs/traffic-limits.md).")
  Path rateLimitConfigDir;

  /** Counted down by Ctrl-C / SIGTERM (through the shutdown hook). */
  private final CountDownLatch stopRequested = new CountDownLatch(1);

  /** Counted down once everything is closed, so the hook lets the JVM exit only then. */
  private final CountDownLatch stopped = new CountDownLatch(1);

  @Override
  public Integer call() {
    logging.apply();
    PrintWriter err = spec.commandLine().getErr();
    // The start and stop lines; in JSON mode stderr holds JSON lines only, and the server logs
    // these events itself (failures to start stay plain lines: nothing is running to log them).
    PrintWriter say = logging.json() ? new PrintWriter(java.io.Writer.nullWriter()) : err;
    if (certTtl.compareTo(java.time.Duration.ofSeconds(2)) < 0) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--cert-ttl must be at least 2s, got " + dev.meshgate.compiler.Durations.format(certTtl));
    }
    removalShare(); // a bad --max-removal is a usage error before anything starts
    if (paths == null) {
      paths = List.of(); // picocli leaves an absent optional positional null
    }
    bundleOptions.check(spec, paths, demo);
    if (paths.contains(Policies.STDIN)) {
      throw new UserError(
          ExitCode.USAGE, "serve watches files, not standard input: give PATH, not '-'");
    }
    // Every option checked before any work: no compile, no CA, no certificate for a typo.
    java.net.InetAddress address = ListenAddress.resolve(bind);
    java.net.InetAddress adminAddress = ListenAddress.resolve(adminBind, "--admin-bind");
    ListenAddress.requireFree(address, bind, xdsPort, "--xds-port");
    ListenAddress.requireFree(adminAddress, adminBind, adminPort, "--admin-port");
    if (adminTokenFile == null && !adminAddress.isLoopbackAddress()) {
      throw new UserError(
          ExitCode.USAGE,
          "--admin-bind "
              + adminBind
              + " makes the admin API reachable from other hosts: protect it with"
              + " --admin-token-file FILE (e.g. openssl rand -hex 32 > FILE), or keep it on loopback");
    }
    // Loading first turns a mistyped path (or a bad bundle) into one clear line, not a server
    // error.
    Optional<BundlePoller> poller = bundleOptions.open();
    List<Path> policyPaths = poller.map(p -> List.of(p.current())).orElse(paths);
    int files = Policies.load(policyPaths).size();
    // Likewise a CA directory that cannot be used: one line naming it, before anything starts.
    boolean newCa = !java.nio.file.Files.exists(caDir.resolve(CertificateAuthority.CERT_FILE));
    if (!newCa) {
      Credentials.ca(caDir);
    }
    MeshgateServer server;
    try {
      ServerOptions options =
          new ServerOptions(
              policyPaths,
              bind,
              xdsPort,
              adminPort,
              reloadDebounce,
              caDir,
              certTtl,
              insecureXds,
              adminBind,
              new RemovalGuard(removalShare(), allowRemoval),
              Optional.ofNullable(adminTokenFile),
              Optional.ofNullable(rateLimitConfigDir)); // global rate limits (issue 13)
      server =
          poller.isPresent()
              ? MeshgateServer.startUnwatched(options, discovery.options())
              : MeshgateServer.start(options, discovery.options());
    } catch (Exception e) {
      poller.ifPresent(BundlePoller::close);
      if (e instanceof IllegalArgumentException bad) {
        return usage(err, bad); // the admin token file holds no usable token
      }
      if (e instanceof PolicyRejectedException rejected) {
        Policies.report(err, rejected.diagnostics(), files, Colors.enabled(spec));
        return ExitCode.POLICY_ERRORS;
      }
      throw startFailure(e);
    }
    Thread hook = new Thread(this::onSignal, "meshgate-shutdown");
    Optional<Demo> running = Optional.empty();
    boolean interrupted = false;
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      if (newCa) {
        say.println(
            "meshgate: created a new CA in "
                + caDir
                + " (ca.crt, ca.key); give Envoys bootstraps from"
                + " 'meshgate bootstrap --ca-dir "
                + caDir.toAbsolutePath().normalize()
                + " --output FILE'");
      }
      if (insecureXds) {
        say.println(
            "meshgate: WARNING: --insecure-xds: xDS is plaintext and proxies are not authenticated;"
                + " anyone who can reach port "
                + server.xdsPort()
                + " gets every configuration and key. Development only.");
      }
      say.println(
          "meshgate: serving xDS on "
              + hostPort(bind, server.xdsPort())
              + ", admin on http://"
              + hostPort(adminBind, server.adminPort()));
      say.flush();
      if (demo) {
        running = Optional.of(startDemo(server, err));
      }
      if (poller.isPresent()) {
        poller.get().start(BundleTarget.of(server), bundleOptions.poll());
      }
      stopRequested.await();
    } catch (InterruptedException e) {
      interrupted = true; // whoever runs us in-process wants us to stop: same as Ctrl-C
    } finally {
      poller.ifPresent(BundlePoller::close);
      running.ifPresent(Demo::close);
      int ended = server.drain(drainPeriod);
      if (ended > 0) {
        say.println(
            "meshgate: ended " + ended + " xDS stream(s) over " + drainPeriod.toMillis() + " ms");
      }
      say.println("meshgate: stopped");
      say.flush();
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException | IllegalArgumentException e) {
        // Already shutting down (the hook is running) or never registered: nothing to undo.
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    return ExitCode.OK;
  }

  private static int usage(PrintWriter err, IllegalArgumentException e) {
    err.println("meshgate: " + e.getMessage());
    err.flush();
    return ExitCode.USAGE;
  }

  private double removalShare() {
    String text = maxRemoval.strip();
    String digits = text.endsWith("%") ? text.substring(0, text.length() - 1) : text;
    try {
      double percent = Double.parseDouble(digits);
      if (percent >= 0 && percent <= 100) {
        return percent / 100;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "--max-removal must be a percentage 0%..100%, got " + maxRemoval);
  }

  /** The JVM is going down (Ctrl-C, SIGTERM): let call() close everything, then let it go. */
  private void onSignal() {
    stopRequested.countDown();
    try {
      stopped.await(drainPeriod.toSeconds() + 15, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Demo startDemo(MeshgateServer server, PrintWriter err) {
    // Compiled again here (it is cheap) for the IR: the server keeps its own copy private.
    Policies.Compiled compiled = Policies.compile(paths);
    Compilation compilation = compiled.compilation();
    if (compilation.policy().isEmpty()) {
      // The file changed to a broken state between the server's compile and ours.
      Policies.report(err, compilation.diagnostics(), compiled.sources().size());
      throw UserError.failure("demo: the policy changed while starting and no longer compiles");
    }
    Optional<Path> root =
        Optional.ofNullable(System.getProperty(HOME_PROPERTY))
            .or(() -> Optional.ofNullable(System.getProperty("meshgate.project.root")))
            .map(Path::of);
    String command = System.getProperty(HOME_PROPERTY) != null ? "bin/meshgate" : "meshgate";
    try {
      return Demo.start(
          compilation.policy().get().ir(),
          new Demo.Settings(
              clientAddress(bind),
              server.xdsPort(),
              root,
              command,
              insecureXds ? Optional.empty() : Optional.of(caDir)),
          err);
    } catch (IOException e) {
      throw UserError.failure("demo: " + e.getMessage());
    }
  }

  private UserError startFailure(Exception e) {
    Throwable cause = e;
    while (cause != null) {
      if (cause instanceof BindException) {
        return UserError.failure(
            "cannot start the server on "
                + bind
                + " (xDS port "
                + xdsPort
                + ", admin port "
                + adminPort
                + "): "
                + cause.getMessage()
                + "; is another meshgate running? choose other ports with"
                + " --xds-port and --admin-port");
      }
      cause = cause.getCause();
    }
    if (e instanceof dev.meshgate.discovery.kubernetes.KubernetesUnavailableException k8s) {
      return UserError.failure("cannot serve with --kubernetes: " + k8s.getMessage());
    }
    if (e instanceof IllegalArgumentException bad
        && bad.getMessage() != null
        && bad.getMessage().endsWith("start it with --kubernetes")) {
      // kubernetes-secret credentials (issue 12) without --kubernetes
      return UserError.failure("cannot serve the policy: " + bad.getMessage());
    }
    if (e instanceof dev.meshgate.discovery.UnsupportedQueryException unsupported) {
      // A policy source whose catalog is not configured (source consul without --consul).
      return UserError.failure("cannot serve the policy: " + unsupported.getMessage());
    }
    if (e instanceof IOException || e instanceof UncheckedIOException) {
      return UserError.failure("cannot start the server: " + e.getMessage());
    }
    if (e instanceof RuntimeException r) {
      throw r;
    }
    throw new IllegalStateException(e);
  }

  /** The address a local client uses to reach a server bound to {@code bind}. */
  static String clientAddress(String bind) {
    return switch (bind) {
      case "0.0.0.0" -> "127.0.0.1";
      case "::", "[::]" -> "::1";
      default -> bind;
    };
  }

  private static String hostPort(String host, int port) {
    return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }
}
