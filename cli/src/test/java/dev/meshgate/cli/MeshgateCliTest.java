package dev.meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.bootstrap.BootstrapOptions;
import dev.meshgate.bootstrap.EnvoyBootstrap;
import dev.meshgate.bootstrap.StatsEndpoint;
import dev.meshgate.bootstrap.XdsTransport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MeshgateCliTest {

  @TempDir Path dir;

  // ---- top level -------------------------------------------------------------------------

  @Test
  void versionNamesTheProjectVersion() {
    Cli.Result r = Cli.run("--version");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).startsWith("meshgate 0.1.0-SNAPSHOT\n");
  }

  @Test
  void noCommandIsAUsageError() {
    Cli.Result r = Cli.run();
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .contains("Usage: meshgate")
        .contains("check")
        .contains("compile")
        .contains("serve")
        .contains("bootstrap");
  }

  @Test
  void unknownCommandIsAUsageErrorWithAShortMessage() {
    Cli.Result r = Cli.run("chek", "x.mesh");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .startsWith("meshgate: unknown command \"chek\"; did you mean check?\nUsage: meshgate ")
        .doesNotContain("Did you mean")
        .contains("Usage: meshgate ")
        .contains("Run 'meshgate --help' for more.");
  }

  @Test
  void topLevelHelpListsEveryExitCode() {
    Cli.Result r = Cli.run("--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains("Exit codes:\n")
        .contains("  0  ok (for plan: no changes)\n")
        .contains("  1  policy errors")
        .contains("  2  usage error\n")
        .contains("  3  other failure")
        .contains("  4  changes present (plan only)\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"check", "compile", "serve", "bootstrap"})
  void everyCommandHasHelp(String command) {
    Cli.Result r = Cli.run(command, "--help");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("\nUsage: meshgate " + command + " [-hV]");
    assertThat(r.err()).isEmpty();
  }

  // ---- check -----------------------------------------------------------------------------

  @Test
  void checkOfACleanPolicySaysOk() throws IOException {
    Path policy = write("shop.mesh", TestPolicies.GOOD);
    Cli.Result r = Cli.run("check", policy.toString());
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("ok: 1 file, no findings\n");
  }

  @Test
  void checkOfADirectoryMergesEveryFile() throws IOException {
    write("a/shop.mesh", TestPolicies.GOOD);
    write("a/nested/admin.mesh", TestPolicies.OTHER_GATEWAY);
    Cli.Result r = Cli.run("check", dir.resolve("a").toString());
    assertThat(r.err()).isEqualTo("ok: 2 files, no findings\n");
    assertThat(r.exitCode()).isZero();
  }

  @Test
  void checkOfABadPolicyPrintsTheDiagnosticAndExitsOne() throws IOException {
    Path bad = write("bad.mesh", TestPolicies.BAD);
    Cli.Result r = Cli.run("check", bad.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .isEqualTo(
            bad
                + ":7:28: error[MG201]: unknown service \"catalg\"; did you mean \"catalog\"?\n"
                + " 7 |     route /catalog/** { to catalg }\n"
                + "   |                            ^^^^^^\n"
                + "\n"
                + "1 error, 0 warnings in 1 file\n");
  }

  @Test
  void checkOfAMissingFileIsAFailureWithOneLine() {
    Path missing = dir.resolve("nope.mesh");
    Cli.Result r = Cli.run("check", missing.toString());
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err())
        .isEqualTo("meshgate: cannot read policy: no such file or directory: " + missing + "\n");
  }

  @Test
  void checkOfADirectoryWithoutPoliciesIsAFailure() throws IOException {
    Files.createDirectories(dir.resolve("empty"));
    Cli.Result r = Cli.run("check", dir.resolve("empty").toString());
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err())
        .isEqualTo("meshgate: no policy files (*.mesh) found in: " + dir.resolve("empty") + "\n");
  }

  @Test
  void checkWithoutPathsIsAUsageError() {
    Cli.Result r = Cli.run("check");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "meshgate: Missing required parameter: 'PATH'\n"
                + "Usage: meshgate check [-hV] [--show-suppressed] [--werror] [--catalog=CATALOG]\n"
                + "                      [--catalog-timeout=DURATION] [--color=WHEN]\n"
                + "                      [--consul-ca=FILE] [--consul-token=TOKEN]\n"
                + "                      [--format=FORMAT] [--log-format=FORMAT]\n"
                + "                      [--log-level=LEVEL] [-o=FILE] PATH...\n"
                + "Run 'meshgate check --help' for more.\n");
  }

  // ---- compile ---------------------------------------------------------------------------

  @Test
  void compileWritesOneFilePerGroupByteIdenticallyAndKeepsOtherFiles() throws IOException {
    write("p/shop.mesh", TestPolicies.GOOD);
    write("p/admin.mesh", TestPolicies.OTHER_GATEWAY);
    Path out = dir.resolve("out");
    Path unrelated = write("out/keep.txt", "mine");

    Cli.Result first = Cli.run("compile", dir.resolve("p").toString(), "--out-dir", out.toString());
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out())
        .isEqualTo(
            out.resolve("gateway-admin.json") + "\n" + out.resolve("gateway-edge.json") + "\n");
    byte[] edge = Files.readAllBytes(out.resolve("gateway-edge.json"));
    byte[] admin = Files.readAllBytes(out.resolve("gateway-admin.json"));
    assertThat(new String(edge, java.nio.charset.StandardCharsets.UTF_8))
        .contains("\"edge:10000\"")
        .endsWith("\n");

    Cli.Result second = Cli.run("compile", dir.resolve("p").toString(), "-o", out.toString());
    assertThat(second.exitCode()).isZero();
    assertThat(second.err())
        .isEqualTo(
            "meshgate: note: 'compile -o/--out' is deprecated (for other commands -o is a file);"
                + " write --out-dir DIR\n");
    assertThat(Files.readAllBytes(out.resolve("gateway-edge.json"))).isEqualTo(edge);
    assertThat(Files.readAllBytes(out.resolve("gateway-admin.json"))).isEqualTo(admin);
    assertThat(unrelated).hasContent("mine");
    try (var files = Files.list(out)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted())
          .containsExactly("gateway-admin.json", "gateway-edge.json", "keep.txt");
    }
  }

  @Test
  void compileOfABadPolicyWritesNothing() throws IOException {
    Path bad = write("bad.mesh", TestPolicies.BAD);
    Path out = dir.resolve("out");
    Cli.Result r = Cli.run("compile", bad.toString(), "--out-dir", out.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("error[MG201]").endsWith("1 error, 0 warnings in 1 file\n");
    assertThat(out).doesNotExist();
  }

  @Test
  void compileNeedsAnOutputDirectory() throws IOException {
    Path policy = write("shop.mesh", TestPolicies.GOOD);
    Cli.Result r = Cli.run("compile", policy.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .isEqualTo(
            "meshgate: compile writes to --out-dir DIR or --bundle FILE: give one (or both)\n");
  }

  @Test
  void compileIntoAFileIsAFailure() throws IOException {
    Path policy = write("shop.mesh", TestPolicies.GOOD);
    Path file = write("file.txt", "x");
    Cli.Result r = Cli.run("compile", policy.toString(), "--out-dir", file.toString());
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err()).startsWith("meshgate: cannot create output directory " + file + ": ");
  }

  // ---- bootstrap -------------------------------------------------------------------------

  @Test
  void bootstrapPrintsTheEnvoyBootstrap() {
    Cli.Result r =
        Cli.run(
            "bootstrap",
            "--gateway",
            "edge",
            "--node-id",
            "edge-1",
            "--xds",
            "10.0.0.5:18000",
            "--admin-port",
            "9902",
            "--insecure-xds");
    assertThat(r.exitCode()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out())
        .isEqualTo(
            EnvoyBootstrap.render(
                BootstrapOptions.gateway("edge", "edge-1", "10.0.0.5", 18000, 9902)
                    .withStats(new StatsEndpoint("0.0.0.0", 15090))));
  }

  @Test
  void bootstrapDefaults() {
    Cli.Result r = Cli.run("bootstrap", "--gateway", "edge", "--insecure-xds");
    assertThat(r.exitCode()).isZero();
    String id = "edge-" + BootstrapCommand.hostname();
    assertThat(r.out())
        .isEqualTo(
            EnvoyBootstrap.render(
                BootstrapOptions.gateway("edge", id, "127.0.0.1", 18000, 9901)
                    .withStats(new StatsEndpoint("0.0.0.0", StatsEndpoint.DEFAULT_PORT))));
  }

  @Test
  void bootstrapStatsListenerCanMoveOrGo() {
    Cli.Result none =
        Cli.run(
            "bootstrap",
            "--gateway",
            "edge",
            "--node-id",
            "n",
            "--stats-port",
            "0",
            "--insecure-xds");
    assertThat(none.exitCode()).isZero();
    assertThat(none.out()).isEqualTo(EnvoyBootstrap.gateway("edge", "n", "127.0.0.1", 18000, 9901));
    Cli.Result moved =
        Cli.run(
            "bootstrap",
            "--sidecar",
            "orders",
            "--node-id",
            "n",
            "--stats-port",
            "15091",
            "--stats-bind",
            "127.0.0.1",
            "--insecure-xds");
    assertThat(moved.exitCode()).isZero();
    assertThat(moved.out())
        .isEqualTo(
            EnvoyBootstrap.render(
                BootstrapOptions.sidecar("orders", "n", "127.0.0.1", 18000, 9901)
                    .withStats(new StatsEndpoint("127.0.0.1", 15091))));
    Cli.Result clash =
        Cli.run(
            "bootstrap",
            "--gateway",
            "edge",
            "--admin-port",
            "9901",
            "--stats-port",
            "9901",
            "--insecure-xds");
    assertThat(clash.exitCode()).isEqualTo(2);
    assertThat(clash.err())
        .contains(
            "--stats-port 9901 is the admin port: the stats listener needs a port of its own (or 0"
                + " for none)");
  }

  @Test
  void bootstrapDeltaAndIpv6() {
    Cli.Result r =
        Cli.run(
            "bootstrap",
            "--gateway",
            "edge",
            "--node-id",
            "n",
            "--xds",
            "[::1]:18000",
            "--delta",
            "--insecure-xds");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .isEqualTo(
            EnvoyBootstrap.render(
                BootstrapOptions.gateway("edge", "n", "::1", 18000, 9901)
                    .withTransport(XdsTransport.DELTA)
                    .withStats(new StatsEndpoint("0.0.0.0", 15090))));
  }

  @Test
  void bootstrapRejectsBadArgumentsAsUsageErrors() {
    Cli.Result noPort = Cli.run("bootstrap", "--gateway", "edge", "--xds", "127.0.0.1");
    assertThat(noPort.exitCode()).isEqualTo(2);
    assertThat(noPort.err())
        .startsWith(
            "meshgate: Invalid value for option '--xds': expected HOST:PORT (for example 127.0.0.1:18000), got '127.0.0.1'\n");

    Cli.Result badPort = Cli.run("bootstrap", "--gateway", "edge", "--admin-port", "70000");
    assertThat(badPort.exitCode()).isEqualTo(2);
    assertThat(badPort.err())
        .startsWith(
            "meshgate: Invalid value for option '--admin-port': port 70000 is out of range 1..65535\n");

    Cli.Result badName = Cli.run("bootstrap", "--gateway", "Edge");
    assertThat(badName.exitCode()).isEqualTo(2);
    assertThat(badName.err()).startsWith("meshgate: --gateway 'Edge' is not a gateway name");
    assertThat(badName.out()).isEmpty();

    Cli.Result missing = Cli.run("bootstrap");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err())
        .startsWith(
            "meshgate: Error: Missing required argument (specify one of these): (--gateway=NAME | --sidecar=SERVICE)\n");

    Cli.Result both = Cli.run("bootstrap", "--gateway", "edge", "--sidecar", "orders");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err())
        .startsWith(
            "meshgate: Error: --gateway=NAME, --sidecar=SERVICE are mutually exclusive (specify only one)\n");

    Cli.Result badService = Cli.run("bootstrap", "--sidecar", "Orders");
    assertThat(badService.exitCode()).isEqualTo(2);
    assertThat(badService.err()).startsWith("meshgate: --sidecar 'Orders' is not a service name");
  }

  @Test
  void bootstrapNeverCreatesACaAndSaysWhatToPass() {
    Path caDir = dir.resolve("elsewhere/.meshgate/ca");
    Cli.Result r =
        Cli.run("bootstrap", "--gateway", "edge", "--ca-dir", caDir.toString(), "--stdout");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err())
        .isEqualTo(
            "meshgate: no CA in "
                + caDir.toAbsolutePath()
                + ": pass --ca-dir with the directory 'meshgate serve' uses (by default .meshgate/ca"
                + " in the directory it runs from, or $MESHGATE_CA_DIR), or create one first with"
                + " 'meshgate ca init --ca-dir DIR'\n");
    assertThat(r.out()).isEmpty();
    assertThat(caDir).doesNotExist();
    assertThat(caDir.getParent()).doesNotExist();
  }

  @Test
  void caInitCreatesTheCaOnceAndServeAndBootstrapShareTheDefault() {
    Path caDir = dir.resolve("ca");
    Cli.Result init = Cli.run("ca", "init", "--ca-dir", caDir.toString());
    assertThat(init.exitCode()).as(init.err()).isZero();
    assertThat(init.err())
        .isEqualTo(
            "meshgate: created a new CA in "
                + caDir
                + " (ca.crt, ca.key); pass --ca-dir "
                + caDir
                + " to 'meshgate serve' and 'meshgate bootstrap'\n");
    assertThat(caDir.resolve("ca.crt")).exists();
    Cli.Result again = Cli.run("ca", "init", "--ca-dir", caDir.toString());
    assertThat(again.exitCode()).isEqualTo(3);
    assertThat(again.err())
        .isEqualTo(
            "meshgate: "
                + caDir
                + " already holds a CA; keep using it (every bootstrap trusts it), or remove ca.crt"
                + " and ca.key first to start over\n");
    // One default for every command that takes --ca-dir, so they cannot drift apart.
    var cl =
        Meshgate.commandLine(
            new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    for (String[] command : new String[][] {{"serve"}, {"bootstrap"}, {"ca", "init"}}) {
      var sub = cl;
      for (String name : command) {
        sub = sub.getSubcommands().get(name);
      }
      assertThat(sub.getCommandSpec().findOption("--ca-dir").defaultValue())
          .as(String.join(" ", command))
          .isEqualTo(System.getenv().getOrDefault(Credentials.CA_DIR_VARIABLE, ".meshgate/ca"));
    }
  }

  @Test
  void bootstrapWithAKeyGoesToAPrivateFileOrToStdoutOnlyWhenAskedTo() throws Exception {
    Path caDir = dir.resolve("ca");
    assertThat(Cli.run("ca", "init", "--ca-dir", caDir.toString()).exitCode()).isZero();

    Cli.Result refused = Cli.run("bootstrap", "--gateway", "edge", "--ca-dir", caDir.toString());
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err())
        .startsWith(
            "meshgate: the bootstrap holds a private key: pass --output FILE to write it readable"
                + " by you only, or --stdout to print it anyway\n");
    assertThat(refused.out()).isEmpty();

    Path file = dir.resolve("out/edge.yaml");
    Cli.Result written =
        Cli.run(
            "bootstrap",
            "--gateway",
            "edge",
            "--ca-dir",
            caDir.toString(),
            "--output",
            file.toString());
    assertThat(written.exitCode()).as(written.err()).isZero();
    assertThat(written.out()).isEmpty();
    assertThat(written.err())
        .startsWith(
            "meshgate: wrote "
                + file
                + " (0600; it holds a private key: the xDS credential urn:meshgate:proxy:gateway:edge,"
                + " valid until ");
    assertThat(Files.readString(file)).contains("-----BEGIN PRIVATE KEY-----");
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");

    Cli.Result both =
        Cli.run(
            "bootstrap",
            "--gateway",
            "edge",
            "--ca-dir",
            caDir.toString(),
            "--output",
            file.toString(),
            "--stdout");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err())
        .startsWith("meshgate: --output and --stdout exclude each other: pass one\n");
  }

  @Test
  void bootstrapIssuesAnXdsClientCertificateFromTheCaAndInlinesIt() throws Exception {
    Path caDir = dir.resolve("ca");
    assertThat(Cli.run("ca", "init", "--ca-dir", caDir.toString()).exitCode()).isZero();
    Cli.Result r =
        Cli.run(
            "bootstrap",
            "--sidecar",
            "orders",
            "--node-id",
            "orders-1",
            "--admin-port",
            "9902",
            "--ca-dir",
            caDir.toString(),
            "--stdout");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err())
        .contains(
            "meshgate: note: this bootstrap holds a private key (the xDS credential urn:meshgate:proxy:sidecar:orders");
    assertThat(r.out())
        .startsWith("# Envoy bootstrap for sidecar \"orders\", written by meshgate.\n")
        .contains("  cluster: \"orders\"\n")
        .contains("    meshgate.role: \"sidecar\"\n")
        .contains(
            "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext")
        .contains("exact: \"" + EnvoyBootstrap.XDS_SERVER_SAN + "\"")
        .contains("-----BEGIN PRIVATE KEY-----");
    assertThat(EnvoyBootstrap.XDS_SERVER_SAN)
        .isEqualTo(dev.meshgate.xds.identity.ProxyIdentity.XDS_SERVER);

    // The inlined certificate is orders' xDS credential, signed by the CA in --ca-dir.
    var ca = dev.meshgate.xds.identity.CertificateAuthority.load(caDir);
    String pem = r.out().substring(r.out().indexOf("-----BEGIN CERTIFICATE-----"));
    pem =
        pem.substring(0, pem.indexOf("-----END CERTIFICATE-----") + 25).replaceAll("\n\\s+", "\n");
    var cert =
        (java.security.cert.X509Certificate)
            java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new java.io.ByteArrayInputStream(
                        pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    cert.verify(ca.certificate().getPublicKey());
    assertThat(cert.getSubjectAlternativeNames())
        .containsExactly(java.util.List.of(6, "urn:meshgate:proxy:sidecar:orders"));

    // A second bootstrap uses the same CA and says nothing about creating one.
    Cli.Result again =
        Cli.run("bootstrap", "--gateway", "edge", "--ca-dir", caDir.toString(), "--stdout");
    assertThat(again.exitCode()).isZero();
    assertThat(again.err()).contains("urn:meshgate:proxy:gateway:edge");
    assertThat(again.out())
        .contains("    meshgate.role: \"gateway\"\n")
        .contains("-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void bootstrapWithABrokenCaDirectoryIsAFailure() throws IOException {
    Path caDir = dir.resolve("half-ca");
    Files.createDirectories(caDir);
    Files.writeString(caDir.resolve("ca.key"), "not a key");
    Cli.Result r =
        Cli.run("bootstrap", "--gateway", "edge", "--ca-dir", caDir.toString(), "--stdout");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err())
        .startsWith("meshgate: cannot use the CA in " + caDir + ": ")
        .contains("has ca.key but no ca.crt");
    assertThat(r.out()).isEmpty();
  }

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }
}
