package dev.meshgate.xds;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;

/**
 * Versions are content hashes: the same resources give the same version in every process and after
 * every restart, so an Envoy that reconnects to a restarted server with unchanged policy is told
 * nothing new. Shortened SHA-256 hex: 16 hex digits (64 bits) is plenty to tell versions of one
 * resource type apart.
 */
final class ContentHash {
  static final int LENGTH = 16;

  private ContentHash() {}

  /** The hash of a message's deterministic wire form (map fields in key order). */
  static String of(Message message) {
    return ofBytes(deterministicBytes(message));
  }

  /** A message's deterministic wire form (map fields in key order): what {@link #of} hashes. */
  static byte[] deterministicBytes(Message message) {
    try {
      byte[] bytes = new byte[message.getSerializedSize()];
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.useDeterministicSerialization();
      message.writeTo(out);
      out.checkNoSpaceLeft();
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen writing to memory
    }
  }

  /** The hash of bytes {@link #deterministicBytes} wrote. */
  static String ofBytes(byte[] bytes) {
    return hex(bytes);
  }

  /** The hash of a set of named versions (one resource type): changes when any entry does. */
  static String ofEntries(SortedMap<String, String> versionsByName) {
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, String> e : versionsByName.entrySet()) {
      text.append(e.getKey()).append('\0').append(e.getValue()).append('\n');
    }
    return of(text.toString());
  }

  static String of(String text) {
    return hex(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String hex(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return HexFormat.of().formatHex(digest).substring(0, LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
