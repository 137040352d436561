package dev.meshgate.cli.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleTest {
  @TempDir Path dir;

  private static final SortedMap<String, byte[]> FILES =
      new TreeMap<>(
          Map.of(
              "edge.mesh", bytes("gateway edge { }\n"),
              "teams/catalog.mesh", bytes("service catalog { source static 127.0.0.1:1 }\n")));

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static KeyPair keys() throws Exception {
    return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
  }

  @Test
  void theSamePolicyGivesTheSameBytesAndTheManifestHashesEveryFile() throws Exception {
    byte[] first = Bundle.write(FILES, "1.2.3", "abc", Optional.empty());
    byte[] second = Bundle.write(new TreeMap<>(FILES), "1.2.3", "abc", Optional.empty());
    assertThat(first).isEqualTo(second);

    Map<String, byte[]> entries = unzip(first);
    assertThat(entries.keySet())
        .containsExactly("manifest.json", "edge.mesh", "teams/catalog.mesh");
    assertThat(new String(entries.get("manifest.json"), StandardCharsets.UTF_8))
        .isEqualTo(
            """
            {
              "format" : 1,
              "meshgateVersion" : "1.2.3",
              "policySha256" : "abc",
              "files" : {
                "edge.mesh" : {
                  "sha256" : "%s"
                },
                "teams/catalog.mesh" : {
                  "sha256" : "%s"
                }
              }
            }
            """
                .formatted(
                    Sha256.hex(FILES.get("edge.mesh")),
                    Sha256.hex(FILES.get("teams/catalog.mesh"))));

    Bundle read = Bundle.read(first, Optional.empty());
    assertThat(read.files().keySet()).containsExactly("edge.mesh", "teams/catalog.mesh");
    assertThat(read.manifest().meshgateVersion()).isEqualTo("1.2.3");
    read.unpack(dir);
    assertThat(dir.resolve("teams/catalog.mesh")).hasBinaryContent(FILES.get("teams/catalog.mesh"));
  }

  @Test
  void aSignedBundleVerifiesWithItsKeyAndIsDeterministicToo() throws Exception {
    KeyPair keys = keys();
    byte[] signed = Bundle.write(FILES, "1", "abc", Optional.of(keys.getPrivate()));
    assertThat(Bundle.write(FILES, "1", "abc", Optional.of(keys.getPrivate()))).isEqualTo(signed);
    assertThat(unzip(signed).keySet())
        .containsExactly("manifest.json", "manifest.sig", "edge.mesh", "teams/catalog.mesh");
    assertThat(Bundle.read(signed, Optional.of(keys.getPublic())).files()).hasSize(2);
    // Without a key the hashes are still checked; the signature is not required.
    assertThat(Bundle.read(signed, Optional.empty()).files()).hasSize(2);
  }

  @Test
  void aTamperedEntryIsRefused() {
    byte[] zip = Bundle.write(FILES, "1", "abc", Optional.empty());
    byte[] tampered = rezip(zip, "edge.mesh", b -> bytes("gateway evil { }\n"));
    assertThatThrownBy(() -> Bundle.read(tampered, Optional.empty()))
        .isInstanceOf(BundleException.class)
        .hasMessage(
            "bundle entry edge.mesh does not match its sha256 in manifest.json: the bundle was"
                + " changed after it was written");
  }

  @Test
  void aTamperedManifestFailsTheSignature() throws Exception {
    KeyPair keys = keys();
    byte[] zip = Bundle.write(FILES, "1", "abc", Optional.of(keys.getPrivate()));
    byte[] tampered =
        rezip(
            zip,
            "manifest.json",
            b -> bytes(new String(b, StandardCharsets.UTF_8).replace("abc", "abd")));
    assertThatThrownBy(() -> Bundle.read(tampered, Optional.of(keys.getPublic())))
        .hasMessage(
            "the bundle's signature does not verify with --bundle-key: it was signed with another"
                + " key, or manifest.json was changed after signing");
  }

  @Test
  void anotherKeysSignatureIsRefused() throws Exception {
    byte[] zip = Bundle.write(FILES, "1", "abc", Optional.of(keys().getPrivate()));
    PublicKey other = keys().getPublic();
    assertThatThrownBy(() -> Bundle.read(zip, Optional.of(other)))
        .hasMessageStartingWith("the bundle's signature does not verify with --bundle-key");
  }

  @Test
  void anUnsignedBundleIsRefusedWhenAKeyIsRequired() throws Exception {
    byte[] zip = Bundle.write(FILES, "1", "abc", Optional.empty());
    PublicKey key = keys().getPublic();
    assertThatThrownBy(() -> Bundle.read(zip, Optional.of(key)))
        .hasMessage(
            "the bundle is not signed, and --bundle-key requires a signature: write it with"
                + " meshgate compile --bundle FILE --sign-key KEY.pem");
  }

  @Test
  void extraMissingAndUnsafeEntriesAndNonBundlesAreRefused() {
    byte[] zip = Bundle.write(FILES, "1", "abc", Optional.empty());
    Map<String, byte[]> entries = unzip(zip);
    entries.put("extra.mesh", bytes("x"));
    assertThatThrownBy(() -> Bundle.read(zip(entries), Optional.empty()))
        .hasMessage("bundle entry extra.mesh is not listed in manifest.json");
    entries.remove("extra.mesh");
    entries.remove("edge.mesh");
    assertThatThrownBy(() -> Bundle.read(zip(entries), Optional.empty()))
        .hasMessage("the bundle lacks edge.mesh, which manifest.json lists");
    assertThatThrownBy(() -> Bundle.read(zip(Map.of("../evil.mesh", bytes("x"))), Optional.empty()))
        .hasMessage(
            "bundle entry \"../evil.mesh\" is not a plain relative path; refusing to unpack it");
    assertThatThrownBy(() -> Bundle.read(zip(Map.of("a.mesh", bytes("x"))), Optional.empty()))
        .hasMessage(
            "not a meshgate bundle: no manifest.json (write bundles with meshgate compile --bundle)");
    assertThatThrownBy(() -> Bundle.read(bytes("<html>not found</html>"), Optional.empty()))
        .hasMessage("not a meshgate bundle: not a zip file, or an empty one");
    Map<String, byte[]> future = unzip(zip);
    future.put(
        "manifest.json",
        bytes(
            new String(future.get("manifest.json"), StandardCharsets.UTF_8)
                .replace("\"format\" : 1", "\"format\" : 2")));
    assertThatThrownBy(() -> Bundle.read(zip(future), Optional.empty()))
        .hasMessage(
            "bundle format 2 is not one this meshgate reads (format 1): compile the bundle with"
                + " the same meshgate release as the servers");
  }

  @Test
  void keysAreReadFromOpensslStylePem() throws Exception {
    KeyPair keys = keys();
    Path priv = dir.resolve("key.pem");
    Path pub = dir.resolve("pub.pem");
    Files.writeString(priv, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    Files.writeString(pub, pem("PUBLIC KEY", keys.getPublic().getEncoded()));
    PrivateKey readPrivate = Ed25519Keys.readPrivate(priv);
    PublicKey readPublic = Ed25519Keys.readPublic(pub);
    byte[] zip = Bundle.write(FILES, "1", "abc", Optional.of(readPrivate));
    assertThat(Bundle.read(zip, Optional.of(readPublic)).files()).hasSize(2);
    assertThatThrownBy(() -> Ed25519Keys.readPublic(priv))
        .hasMessage(
            priv
                + " holds no PEM \"PUBLIC KEY\" (make one with: openssl pkey -in KEY.pem -pubout -out "
                + priv
                + ")");
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  static Map<String, byte[]> unzip(byte[] zip) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      ZipEntry e;
      while ((e = in.getNextEntry()) != null) {
        entries.put(e.getName(), in.readAllBytes());
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return entries;
  }

  static byte[] zip(Map<String, byte[]> entries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }

  /** The bundle with one entry's bytes changed, re-zipped properly (valid CRCs). */
  static byte[] rezip(byte[] bundle, String name, UnaryOperator<byte[]> change) {
    Map<String, byte[]> entries = unzip(bundle);
    entries.put(name, change.apply(entries.get(name)));
    return zip(entries);
  }
}
