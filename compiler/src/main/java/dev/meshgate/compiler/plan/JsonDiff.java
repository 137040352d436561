package dev.meshgate.compiler.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Field-level differences between two JSON trees, as paths a reviewer can read.
 *
 * <p>Lists whose elements all carry a unique {@code name} (filters, virtual hosts, weighted
 * clusters, …) are compared by name, so inserting one element does not make every later one look
 * changed; a new order of the same names is reported once, as {@code path (order)}, because order
 * matters to Envoy (filters run in order). Other lists are aligned on their longest common
 * subsequence, and what falls between two aligned elements is paired up position by position as
 * "changed", the rest as added or removed.
 *
 * <p>Route lists ({@code virtual_hosts[…].routes}) are the exception to keying by name: route names
 * are positional ({@code api.example/3}), so routes are aligned by content with the name left out,
 * and a route that only moved because another was inserted before it is not reported.
 */
final class JsonDiff {
  private static final String POSITIONAL_NAMES = "routes";

  private final List<FieldChange> out = new ArrayList<>();

  private JsonDiff() {}

  static List<FieldChange> diff(JsonNode before, JsonNode after) {
    JsonDiff diff = new JsonDiff();
    diff.walk("", "", before, after);
    return List.copyOf(diff.out);
  }

  private void walk(String path, String field, JsonNode before, JsonNode after) {
    if (before.equals(after)) {
      return;
    }
    if (before instanceof ObjectNode a && after instanceof ObjectNode b) {
      objects(path, a, b);
    } else if (before instanceof ArrayNode a && after instanceof ArrayNode b) {
      arrays(path, field, a, b);
    } else {
      changed(path, before, after);
    }
  }

  private void objects(String path, ObjectNode a, ObjectNode b) {
    // Proto field order on both sides, so a's keys then b's new ones reads naturally.
    Set<String> keys = new LinkedHashSet<>();
    a.fieldNames().forEachRemaining(keys::add);
    b.fieldNames().forEachRemaining(keys::add);
    for (String key : keys) {
      String child = path.isEmpty() ? key : path + "." + key;
      JsonNode x = a.get(key);
      JsonNode y = b.get(key);
      if (x == null) {
        added(child, y);
      } else if (y == null) {
        removed(child, x);
      } else {
        walk(child, key, x, y);
      }
    }
  }

  private void arrays(String path, String field, ArrayNode a, ArrayNode b) {
    if (!POSITIONAL_NAMES.equals(field) && uniquelyNamed(a) && uniquelyNamed(b)) {
      byName(path, a, b);
    } else if (POSITIONAL_NAMES.equals(field)) {
      aligned(path, a, b, JsonDiff::withoutName);
    } else {
      aligned(path, a, b, Function.identity());
    }
  }

  private void byName(String path, ArrayNode a, ArrayNode b) {
    Map<String, JsonNode> newByName = new HashMap<>();
    b.forEach(e -> newByName.put(name(e), e));
    Set<String> oldNames = new HashSet<>();
    List<String> oldOrder = new ArrayList<>();
    for (JsonNode x : a) {
      String name = name(x);
      oldNames.add(name);
      JsonNode y = newByName.get(name);
      if (y == null) {
        removed(path + "[" + name + "]", x);
      } else {
        oldOrder.add(name);
        walk(path + "[" + name + "]", "", x, y);
      }
    }
    List<String> newOrder = new ArrayList<>();
    for (JsonNode y : b) {
      String name = name(y);
      if (!oldNames.contains(name)) {
        added(path + "[" + name + "]", y);
      } else {
        newOrder.add(name);
      }
    }
    if (!oldOrder.equals(newOrder)) {
      ArrayNode was = a.arrayNode();
      oldOrder.forEach(was::add);
      ArrayNode now = b.arrayNode();
      newOrder.forEach(now::add);
      changed(path + " (order)", was, now);
    }
  }

  private void aligned(String path, ArrayNode a, ArrayNode b, Function<JsonNode, JsonNode> key) {
    List<JsonNode> x = new ArrayList<>();
    a.forEach(e -> x.add(key.apply(e)));
    List<JsonNode> y = new ArrayList<>();
    b.forEach(e -> y.add(key.apply(e)));
    // Longest common subsequence, filled from the end so the walk below goes forward.
    int[][] lcs = new int[x.size() + 1][y.size() + 1];
    for (int i = x.size() - 1; i >= 0; i--) {
      for (int j = y.size() - 1; j >= 0; j--) {
        lcs[i][j] =
            x.get(i).equals(y.get(j))
                ? lcs[i + 1][j + 1] + 1
                : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    int i = 0;
    int j = 0;
    int gapI = 0;
    int gapJ = 0;
    while (i < x.size() && j < y.size()) {
      if (x.get(i).equals(y.get(j))) {
        gap(path, a, b, x, y, gapI, i, gapJ, j);
        i++;
        j++;
        gapI = i;
        gapJ = j;
      } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
        i++;
      } else {
        j++;
      }
    }
    gap(path, a, b, x, y, gapI, x.size(), gapJ, y.size());
  }

  /**
   * Old elements [i0, i1) were replaced by new elements [j0, j1); {@code x}, {@code y} are the
   * compared forms, {@code a}, {@code b} the elements as they are (shown when added or removed).
   */
  private void gap(
      String path,
      ArrayNode a,
      ArrayNode b,
      List<JsonNode> x,
      List<JsonNode> y,
      int i0,
      int i1,
      int j0,
      int j1) {
    int paired = Math.min(i1 - i0, j1 - j0);
    for (int k = 0; k < paired; k++) {
      walk(path + "[" + (j0 + k) + "]", "", x.get(i0 + k), y.get(j0 + k));
    }
    for (int k = i0 + paired; k < i1; k++) {
      removed(path + "[" + k + "]", a.get(k));
    }
    for (int k = j0 + paired; k < j1; k++) {
      added(path + "[" + k + "]", b.get(k));
    }
  }

  private static boolean uniquelyNamed(ArrayNode array) {
    if (array.isEmpty()) {
      return true;
    }
    Set<String> names = new HashSet<>();
    for (JsonNode e : array) {
      JsonNode name = e.get("name");
      if (!e.isObject() || name == null || !name.isTextual() || !names.add(name.asText())) {
        return false;
      }
    }
    return true;
  }

  private static String name(JsonNode element) {
    return element.get("name").asText();
  }

  private static JsonNode withoutName(JsonNode element) {
    if (element instanceof ObjectNode object && object.has("name")) {
      ObjectNode copy = object.deepCopy();
      copy.remove("name");
      return copy;
    }
    return element;
  }

  private void added(String path, JsonNode value) {
    out.add(new FieldChange(path, Change.ADDED, Optional.empty(), Optional.of(value.toString())));
  }

  private void removed(String path, JsonNode value) {
    out.add(new FieldChange(path, Change.REMOVED, Optional.of(value.toString()), Optional.empty()));
  }

  private void changed(String path, JsonNode before, JsonNode after) {
    out.add(
        new FieldChange(
            path, Change.CHANGED, Optional.of(before.toString()), Optional.of(after.toString())));
  }
}
