package dev.meshgate.compiler.simulate;

import java.util.ArrayList;
import java.util.List;

/**
 * The path as Envoy's connection manager hands it to routing and RBAC when {@code normalize_path}
 * and {@code merge_slashes} are on (Meshgate always turns both on), in Envoy's order: first "." and
 * ".." segments resolved (RFC 3986, empty segments kept, so in {@code /a//../c} the ".." removes
 * the empty one), then runs of slashes merged the way Envoy merges them: the non-empty segments
 * joined, with a leading and a trailing slash kept, so a path of slashes only stays {@code //}.
 */
final class Paths {
  private Paths() {}

  static String normalize(String path, boolean normalize, boolean mergeSlashes) {
    String p = path.isEmpty() ? "/" : path;
    if (normalize) {
      p = removeDotSegments(p);
    }
    if (mergeSlashes) {
      p = mergeSlashes(p);
    }
    return p;
  }

  private static String removeDotSegments(String path) {
    if (!path.startsWith("/")) {
      return path; // "*" (OPTIONS) and the like: nothing to resolve
    }
    String[] segments = path.split("/", -1);
    List<String> out = new ArrayList<>();
    for (int i = 1; i < segments.length; i++) {
      String segment = segments[i];
      boolean last = i == segments.length - 1;
      switch (segment) {
        case "." -> {}
        case ".." -> {
          if (!out.isEmpty()) {
            out.removeLast();
          }
        }
        default -> out.add(segment);
      }
      if (last && (segment.equals(".") || segment.equals(".."))) {
        out.add(""); // "/a/.." is "/", "/a/b/." is "/a/b/": a trailing slash
      }
    }
    return "/" + String.join("/", out);
  }

  /** Envoy's {@code PathUtil::mergeSlashes}. */
  private static String mergeSlashes(String path) {
    if (!path.contains("//")) {
      return path;
    }
    List<String> segments = new ArrayList<>();
    for (String segment : path.split("/")) {
      if (!segment.isEmpty()) {
        segments.add(segment);
      }
    }
    return (path.startsWith("/") ? "/" : "")
        + String.join("/", segments)
        + (path.endsWith("/") ? "/" : "");
  }
}
