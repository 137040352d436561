package dev.meshgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.cli.bundle.Bundle;
import dev.meshgate.cli.bundle.BundleEntries;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code compile --bundle} and {@code serve --bundle}: what they write and every refusal. */
class BundleCommandsTest {
  @TempDir Path dir;

  private Path write(String relative, String text) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static List<String> entries(Path zip) throws IOException {
    List<String> names = new ArrayList<>();
    try (ZipInputStream in =
        new ZipInputStream(new ByteArrayInputStream(Files.readAllBytes(zip)))) {
      ZipEntry e;
      while ((e = in.getNextEntry()) != null) {
        names.add(e.getName());
      }
    }
    return names;
  }

  @Test
  void compileBundleWritesTheSameSignedZipEveryTimeNamedBelowThePath() throws Exception {
    write("p/shop.mesh", TestPolicies.GOOD);
    write("p/teams/admin.mesh", TestPolicies.OTHER_GATEWAY);
    KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path key = write("bundle.key", pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    Path zip = dir.resolve("out/policy.zip");

    Cli.Result first =
        Cli.run(
            "compile",
            dir.resolve("p").toString(),
            "--bundle",
            zip.toString(),
            "--sign-key",
            key.toString());
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).isEqualTo(zip + "\n");
    byte[] bytes = Files.readAllBytes(zip);
    assertThat(entries(zip))
        .containsExactly("manifest.json", "manifest.sig", "shop.mesh", "teams/admin.mesh");
    Bundle bundle = Bundle.read(bytes, Optional.of(keys.getPublic()));
    assertThat(bundle.manifest().policySha256()).hasSize(64);
    // What a server compiles from the bundle is what CI compiled.
    assertThat(BundleEntries.compiledSha256(bundle)).contains(bundle.manifest().policySha256());

    Cli.Result second =
        Cli.run(
            "compile",
            dir.resolve("p").toString(),
            "--bundle",
            zip.toString(),
            "--sign-key",
            key.toString());
    assertThat(second.exitCode()).isZero();
    assertThat(Files.readAllBytes(zip)).isEqualTo(bytes);
  }

  @Test
  void compileBundleOfABadPolicyWritesNothing() throws IOException {
    Path bad = write("bad.mesh", TestPolicies.BAD);
    Path zip = dir.resolve("policy.zip");
    Cli.Result r = Cli.run("compile", bad.toString(), "--bundle", zip.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("bad.mesh:").endsWith("1 error, 0 warnings in 1 file\n");
    assertThat(zip).doesNotExist();
  }

  @Test
  void compileBundleUsageErrors() throws IOException {
    Path policy = write("shop.mesh", TestPolicies.GOOD);
    Path notAKey = write("key.pem", "hello");
    Cli.Result noBundle = Cli.run("compile", policy.toString(), "--sign-key", notAKey.toString());
    assertThat(noBundle.exitCode()).isEqualTo(2);
    assertThat(noBundle.err())
        .isEqualTo("meshgate: --sign-key signs a bundle: give --bundle FILE too\n");
    Cli.Result badKey =
        Cli.run(
            "compile",
            policy.toString(),
            "--bundle",
            dir.resolve("b.zip").toString(),
            "--sign-key",
            notAKey.toString());
    assertThat(badKey.exitCode()).isEqualTo(2);
    assertThat(badKey.err())
        .isEqualTo(
            "meshgate: --sign-key: "
                + notAKey
                + " holds no PEM \"PRIVATE KEY\" (make one with: openssl genpkey -algorithm ed25519"
                + " -out "
                + notAKey
                + ")\n");
  }

  @Test
  void serveTakesPathsOrABundle() throws IOException {
    Path policy = write("shop.mesh", TestPolicies.GOOD);
    Cli.Result both = Cli.run("serve", policy.toString(), "--bundle", "b.zip");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err())
        .isEqualTo(
            "meshgate: serve takes policy PATHs or --bundle FILE|URL, not both: the bundle holds"
                + " the policy\n");
    Cli.Result neither = Cli.run("serve");
    assertThat(neither.exitCode()).isEqualTo(2);
    assertThat(neither.err())
        .isEqualTo("meshgate: serve needs the policy: give PATH... or --bundle FILE|URL\n");
    Cli.Result strayKey = Cli.run("serve", policy.toString(), "--bundle-key", "pub.pem");
    assertThat(strayKey.exitCode()).isEqualTo(2);
    assertThat(strayKey.err()).isEqualTo("meshgate: --bundle-key goes with --bundle FILE|URL\n");
    Cli.Result demo = Cli.run("serve", "--bundle", "b.zip", "--demo");
    assertThat(demo.exitCode()).isEqualTo(2);
    assertThat(demo.err()).isEqualTo("meshgate: --demo serves policy files, not --bundle\n");
  }

  private Cli.Result serveBundle(Path bundle, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "serve",
                "--bundle",
                bundle.toString(),
                "--xds-port",
                "0",
                "--admin-port",
                "0",
                "--ca-dir",
                dir.resolve("ca").toString()));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  @Test
  @Timeout(30)
  void aBundleThatCannotBeReadOrVerifiedOrCompiledDoesNotStart() throws Exception {
    Path missing = dir.resolve("missing.zip");
    Cli.Result r = serveBundle(missing);
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err())
        .isEqualTo(
            "meshgate: cannot serve --bundle: cannot read bundle " + missing + ": no such file\n");

    KeyPair keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path pub = write("bundle.pub", pem("PUBLIC KEY", keys.getPublic().getEncoded()));
    Path unsigned = dir.resolve("unsigned.zip");
    Files.write(
        unsigned,
        Bundle.write(
            new TreeMap<>(Map.of("shop.mesh", TestPolicies.GOOD.getBytes(StandardCharsets.UTF_8))),
            "test",
            "x",
            Optional.empty()));
    r = serveBundle(unsigned, "--bundle-key", pub.toString());
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err())
        .isEqualTo(
            "meshgate: cannot serve --bundle: the bundle is not signed, and --bundle-key requires a"
                + " signature: write it with meshgate compile --bundle FILE --sign-key KEY.pem\n");

    Path broken = dir.resolve("broken.zip");
    Files.write(
        broken,
        Bundle.write(
            new TreeMap<>(
                Map.of("teams/bad.mesh", TestPolicies.BAD.getBytes(StandardCharsets.UTF_8))),
            "test",
            "x",
            Optional.of(keys.getPrivate())));
    r = serveBundle(broken, "--bundle-key", pub.toString());
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .contains("teams/bad.mesh:")
        .contains("error[MG201]")
        .endsWith("\n1 error, 0 warnings in 1 file\n");
    assertThat(r.err()).doesNotContain("serving xDS");
  }

  @Test
  void keygenWritesKeysThatSignAndVerifyAndVerifyChecksLikeAServer() throws Exception {
    Path key = dir.resolve("keys/bundle.key");
    Path pub = dir.resolve("keys/bundle.pub");
    Cli.Result keygen =
        Cli.run("bundle", "keygen", "--sign-key", key.toString(), "--bundle-key", pub.toString());
    assertThat(keygen.exitCode()).as(keygen.err()).isZero();
    assertThat(keygen.err())
        .isEqualTo(
            "meshgate: wrote "
                + key
                + " (private: for compile --bundle --sign-key) and "
                + pub
                + " (public: for serve --bundle-key)\n");
    assertThat(Files.getPosixFilePermissions(key))
        .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    Cli.Result again =
        Cli.run("bundle", "keygen", "--sign-key", key.toString(), "--bundle-key", pub.toString());
    assertThat(again.exitCode()).isEqualTo(3);
    assertThat(again.err())
        .isEqualTo("meshgate: " + key + " exists already; not replacing a key\n");

    write("p/shop.mesh", TestPolicies.GOOD);
    Path zip = dir.resolve("policy.zip");
    Cli.Result compile =
        Cli.run(
            "compile",
            dir.resolve("p").toString(),
            "--bundle",
            zip.toString(),
            "--sign-key",
            key.toString());
    assertThat(compile.exitCode()).as(compile.err()).isZero();
    Cli.Result verify = Cli.run("bundle", "verify", zip.toString(), "--bundle-key", pub.toString());
    assertThat(verify.exitCode()).as(verify.err()).isZero();
    assertThat(verify.out())
        .contains("signature: valid, by --bundle-key " + pub + "\n")
        .contains("(this meshgate compiles the same)\n")
        .endsWith("file: shop.mesh\n");

    Path other = dir.resolve("other.pub");
    Cli.run(
        "bundle",
        "keygen",
        "--sign-key",
        dir.resolve("other.key").toString(),
        "--bundle-key",
        other.toString());
    Cli.Result wrongKey =
        Cli.run("bundle", "verify", zip.toString(), "--bundle-key", other.toString());
    assertThat(wrongKey.exitCode()).isEqualTo(3);
    assertThat(wrongKey.err())
        .isEqualTo(
            "meshgate: the bundle's signature does not verify with --bundle-key: it was signed with"
                + " another key, or manifest.json was changed after signing\n");

    Path broken = dir.resolve("broken.zip");
    Files.write(
        broken,
        Bundle.write(
            new TreeMap<>(Map.of("bad.mesh", TestPolicies.BAD.getBytes(StandardCharsets.UTF_8))),
            "test",
            "x",
            Optional.empty()));
    Cli.Result uncompilable = Cli.run("bundle", "verify", broken.toString());
    assertThat(uncompilable.exitCode()).isEqualTo(1);
    assertThat(uncompilable.err())
        .contains("bad.mesh:")
        .endsWith("1 error, 0 warnings in 1 file\n");
  }
}
