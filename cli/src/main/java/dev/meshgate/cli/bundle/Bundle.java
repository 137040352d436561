package dev.meshgate.cli.bundle;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A policy bundle: a zip of policy files and a {@code manifest.json} with their sha256 (and an
 * optional Ed25519 {@code manifest.sig} over the manifest). Written byte for byte the same for the
 * same policy: entries in a fixed order (manifest, signature, files by name), stored uncompressed,
 * with one fixed timestamp.
 *
 * @param manifest the verified manifest
 * @param files every policy file by its path in the bundle
 * @param sha256 the sha256 of the whole zip, to name it in logs
 */
public record Bundle(Manifest manifest, SortedMap<String, byte[]> files, String sha256) {

  /** Bigger than any policy: a URL answering with more is not sending a bundle. */
  static final int MAX_BYTES = 64 * 1024 * 1024;

  private static final int MAX_ENTRIES = 10_000;
  private static final LocalDateTime EPOCH = LocalDateTime.of(1980, 1, 1, 0, 0);

  public Bundle {
    files = new TreeMap<>(files);
  }

  /** The zip of {@code files} with their manifest, signed with {@code key} when present. */
  public static byte[] write(
      SortedMap<String, byte[]> files,
      String meshgateVersion,
      String policySha256,
      Optional<PrivateKey> key) {
    SortedMap<String, String> hashes = new TreeMap<>();
    files.forEach((name, bytes) -> hashes.put(name, Sha256.hex(bytes)));
    byte[] manifest = new Manifest(Manifest.FORMAT, meshgateVersion, policySha256, hashes).toJson();
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put(Manifest.NAME, manifest);
    key.ifPresent(k -> entries.put(Manifest.SIGNATURE, Ed25519Keys.sign(k, manifest)));
    entries.putAll(files);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        byte[] bytes = e.getValue();
        ZipEntry entry = new ZipEntry(e.getKey());
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        entry.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        entry.setCrc(crc.getValue());
        entry.setTimeLocal(EPOCH); // a DOS time, no time zone: the same bytes everywhere
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new IllegalStateException(e); // writing to memory cannot fail
    }
    return out.toByteArray();
  }

  /**
   * Reads and verifies a bundle: every policy file matches its sha256 in the manifest, nothing else
   * is in it, and with {@code key} the manifest carries a valid signature by that key.
   *
   * @throws BundleException saying what does not hold
   */
  public static Bundle read(byte[] zip, Optional<PublicKey> key) throws BundleException {
    Map<String, byte[]> entries = entries(zip);
    byte[] manifestBytes = entries.remove(Manifest.NAME);
    if (manifestBytes == null) {
      throw new BundleException(
          "not a meshgate bundle: no manifest.json (write bundles with meshgate compile --bundle)");
    }
    byte[] signature = entries.remove(Manifest.SIGNATURE);
    if (key.isPresent()) {
      if (signature == null) {
        throw new BundleException(
            "the bundle is not signed, and --bundle-key requires a signature: write it with"
                + " meshgate compile --bundle FILE --sign-key KEY.pem");
      }
      if (!Ed25519Keys.verify(key.get(), manifestBytes, signature)) {
        throw new BundleException(
            "the bundle's signature does not verify with --bundle-key: it was signed with another"
                + " key, or manifest.json was changed after signing");
      }
    }
    Manifest manifest = Manifest.parse(manifestBytes);
    for (Map.Entry<String, String> listed : manifest.files().entrySet()) {
      byte[] bytes = entries.get(listed.getKey());
      if (bytes == null) {
        throw new BundleException(
            "the bundle lacks " + listed.getKey() + ", which manifest.json lists");
      }
      if (!Sha256.hex(bytes).equals(listed.getValue())) {
        throw new BundleException(
            "bundle entry "
                + listed.getKey()
                + " does not match its sha256 in manifest.json: the bundle was changed after it"
                + " was written");
      }
    }
    for (String name : entries.keySet()) {
      if (!manifest.files().containsKey(name)) {
        throw new BundleException("bundle entry " + name + " is not listed in manifest.json");
      }
    }
    if (entries.isEmpty()) {
      throw new BundleException("the bundle holds no policy file");
    }
    return new Bundle(manifest, new TreeMap<>(entries), Sha256.hex(zip));
  }

  /** Writes the policy files under {@code dir} (which must be new and private). */
  public void unpack(Path dir) throws IOException {
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      Path file = dir.resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.write(file, e.getValue());
    }
  }

  private static Map<String, byte[]> entries(byte[] zip) throws BundleException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    long total = 0;
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      ZipEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        if (entry.isDirectory()) {
          continue;
        }
        String name = entry.getName();
        checkName(name);
        if (entries.size() >= MAX_ENTRIES) {
          throw new BundleException("the bundle has more than " + MAX_ENTRIES + " files");
        }
        byte[] bytes = readAtMost(in, MAX_BYTES - total);
        total += bytes.length;
        if (entries.put(name, bytes) != null) {
          throw new BundleException("bundle entry " + name + " appears twice");
        }
      }
    } catch (ZipException e) {
      throw new BundleException("not a zip file (" + e.getMessage() + ")");
    } catch (IOException e) {
      throw new BundleException("cannot read the bundle: " + e.getMessage());
    }
    if (entries.isEmpty()) {
      throw new BundleException("not a meshgate bundle: not a zip file, or an empty one");
    }
    return entries;
  }

  private static byte[] readAtMost(InputStream in, long limit) throws IOException, BundleException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) > 0) {
      out.write(buffer, 0, n);
      if (out.size() > limit) {
        throw new BundleException("the bundle unpacks to more than " + MAX_BYTES + " bytes");
      }
    }
    return out.toByteArray();
  }

  /** A relative path with forward slashes, no empty, dot or dot-dot part: it stays in its dir. */
  static void checkName(String name) throws BundleException {
    boolean bad = name.isEmpty() || name.startsWith("/") || name.contains("\\");
    for (String part : name.split("/", -1)) {
      bad |= part.isEmpty() || part.startsWith(".") || part.contains(":");
    }
    if (bad) {
      throw new BundleException(
          "bundle entry \"" + name + "\" is not a plain relative path; refusing to unpack it");
    }
  }
}
