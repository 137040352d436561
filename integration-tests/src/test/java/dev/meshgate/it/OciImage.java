package dev.meshgate.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * An OCI image layout unpacked in a directory (Jib's {@code buildTar}): its index, manifest and
 * config as JSON, each blob checked against its digest and size, and each layer's entries read
 * straight from the gzipped tar, so the test sees modes and owners exactly as a runtime would.
 */
final class OciImage {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One file, directory or link in a layer, as its tar header says. */
  record Entry(String path, int mode, long uid, long gid, char type, long size) {}

  final Path dir;
  final JsonNode index;
  final JsonNode manifest;
  final JsonNode config;
  final List<Path> layers = new ArrayList<>();

  OciImage(Path dir) throws IOException {
    this.dir = dir;
    index = JSON.readTree(dir.resolve("index.json").toFile());
    manifest = blob(index.path("manifests").get(0));
    config = blob(manifest.path("config"));
    for (JsonNode layer : manifest.path("layers")) {
      layers.add(verified(layer));
    }
  }

  private JsonNode blob(JsonNode descriptor) throws IOException {
    return JSON.readTree(verified(descriptor).toFile());
  }

  /** The blob a descriptor names, after checking that its bytes have that digest and size. */
  private Path verified(JsonNode descriptor) throws IOException {
    String digest = descriptor.path("digest").asText();
    if (!digest.startsWith("sha256:")) {
      throw new AssertionError("not a sha256 digest: " + descriptor);
    }
    Path blob = dir.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
    byte[] bytes = Files.readAllBytes(blob);
    if (bytes.length != descriptor.path("size").asLong()) {
      throw new AssertionError(
          digest + " is " + bytes.length + " bytes, descriptor says " + descriptor);
    }
    try {
      String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      if (!digest.equals("sha256:" + actual)) {
        throw new AssertionError("blob " + digest + " has digest sha256:" + actual);
      }
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return blob;
  }

  /** Every entry of every layer, in order. */
  List<Entry> entries() throws IOException {
    List<Entry> all = new ArrayList<>();
    for (Path layer : layers) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(layer))) {
        readTar(in, all);
      }
    }
    return all;
  }

  /** A minimal ustar/PAX reader: names (PAX {@code path} included), mode, owner, type, size. */
  private static void readTar(InputStream in, List<Entry> out) throws IOException {
    String paxPath = null;
    while (true) {
      byte[] header = in.readNBytes(512);
      if (header.length < 512 || header[0] == 0) {
        return;
      }
      String name = text(header, 0, 100);
      String prefix = text(header, 345, 155);
      long size = octal(header, 124, 12);
      char type = (char) header[156];
      byte[] body = in.readNBytes((int) size);
      in.skipNBytes((512 - size % 512) % 512);
      if (type == 'x') {
        paxPath = paxValue(new String(body, StandardCharsets.UTF_8), "path");
        continue;
      }
      String path = paxPath != null ? paxPath : prefix.isEmpty() ? name : prefix + "/" + name;
      paxPath = null;
      out.add(
          new Entry(
              path,
              (int) octal(header, 100, 8),
              octal(header, 108, 8),
              octal(header, 116, 8),
              type == 0 ? '0' : type,
              size));
    }
  }

  private static String paxValue(String records, String key) {
    for (String line : records.split("\n")) {
      int space = line.indexOf(' ');
      if (space > 0 && line.startsWith(key + "=", space + 1)) {
        return line.substring(space + 2 + key.length());
      }
    }
    return null;
  }

  private static String text(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] header, int offset, int length) {
    String value = text(header, offset, length).trim();
    return value.isEmpty() ? 0 : Long.parseLong(value, 8);
  }
}
