package dev.meshgate.cli.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A bundle's {@code manifest.json}: what wrote it and the sha256 of every policy file in it.
 *
 * @param format the bundle format ({@link #FORMAT}); a server refuses a format it does not know
 * @param meshgateVersion the meshgate that compiled the bundle
 * @param policySha256 sha256 of the compiled Envoy resources, every group's {@code compile
 *     --out-dir} file in order (its name, a newline, its content): what CI checked
 * @param files every policy file's path in the bundle and the sha256 of its bytes
 */
public record Manifest(
    int format, String meshgateVersion, String policySha256, SortedMap<String, String> files) {

  /** The one format this meshgate writes and reads. */
  public static final int FORMAT = 1;

  static final String NAME = "manifest.json";
  static final String SIGNATURE = "manifest.sig";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public Manifest {
    files = new TreeMap<>(files);
  }

  /** The manifest's bytes: fixed key order, two-space indent, a final newline. */
  byte[] toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", format);
    root.put("meshgateVersion", meshgateVersion);
    root.put("policySha256", policySha256);
    ObjectNode entries = root.putObject("files");
    files.forEach((name, sha) -> entries.putObject(name).put("sha256", sha));
    try {
      return (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e); // writing a tree to a string cannot fail
    }
  }

  static Manifest parse(byte[] bytes) throws BundleException {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new BundleException("manifest.json is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new BundleException("manifest.json is not a JSON object");
    }
    JsonNode format = root.path("format");
    if (!format.isInt()) {
      throw new BundleException("manifest.json has no \"format\" number");
    }
    if (format.asInt() != FORMAT) {
      throw new BundleException(
          "bundle format "
              + format.asInt()
              + " is not one this meshgate reads (format "
              + FORMAT
              + "): compile the bundle with the same meshgate release as the servers");
    }
    JsonNode files = root.path("files");
    if (!files.isObject()) {
      throw new BundleException("manifest.json has no \"files\" object");
    }
    SortedMap<String, String> hashes = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : files.properties()) {
      JsonNode sha = e.getValue().path("sha256");
      if (!sha.isTextual()) {
        throw new BundleException("manifest.json has no sha256 for \"" + e.getKey() + "\"");
      }
      hashes.put(e.getKey(), sha.asText());
    }
    return new Manifest(
        FORMAT,
        root.path("meshgateVersion").asText("unknown"),
        root.path("policySha256").asText(""),
        hashes);
  }
}
