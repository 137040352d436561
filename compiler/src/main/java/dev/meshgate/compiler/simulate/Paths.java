package dev.meshgate.compiler.simulate;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The path as Envoy's connection manager hands it to routing and RBAC when {@code normalize_path}
 * and {@code merge_slashes} are on (Meshgate always turns both on): "." and ".." segments resolved
 * (RFC 3986), runs of slashes merged.
 */
final class Paths {
  private Paths() {}

  static String normalize(String path, boolean normalize, boolean mergeSlashes) {
    String p = path.isEmpty() ? "/" : path;
    if (mergeSlashes) {
      p = p.replaceAll("/{2,}", "/");
    }
    if (normalize) {
      p = removeDotSegments(p);
    }
    return p;
  }

  private static String removeDotSegments(String path) {
    boolean trailing = path.endsWith("/") || path.endsWith("/.") || path.endsWith("/..");
    Deque<String> out = new ArrayDeque<>();
    for (String segment : path.split("/", -1)) {
      switch (segment) {
        case "", "." -> {}
        case ".." -> out.pollLast();
        default -> out.addLast(segment);
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String segment : out) {
      sb.append('/').append(segment);
    }
    if (sb.isEmpty() || trailing) {
      sb.append('/');
    }
    // "/a//" after merging is "/a/"; "//" collapses to "/".
    return sb.toString().replaceAll("/{2,}", "/");
  }
}
