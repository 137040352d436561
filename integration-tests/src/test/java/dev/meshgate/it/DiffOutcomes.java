package dev.meshgate.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshgate.compiler.simulate.ExpectedOutcome;
import dev.meshgate.compiler.simulate.SimulatedOutcome;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares what the simulator says about a request with what a real Envoy did: which backend
 * (cluster) served it, the status, the path and the {@code x-g-*} and {@code host} headers the
 * backend got, the {@code x-g-*} response headers, a direct response's body, a redirect's Location.
 */
final class DiffOutcomes {
  static final String BACKEND_HEADER = "x-it-backend";

  /** Which backends may serve each cluster of {@link DiffPolicy#services}. */
  static final Map<String, Set<String>> BACKENDS =
      Map.of(
          "alpha", Set.of("alpha"),
          "beta", Set.of("beta-v1", "beta-v2"),
          "beta.v1", Set.of("beta-v1"),
          "beta.v2", Set.of("beta-v2"),
          "gamma", Set.of("gamma"));

  private DiffOutcomes() {}

  /** Why Envoy's answer differs from the simulation, or empty when they agree. */
  static Optional<String> mismatch(
      SimulatedOutcome simulated, HttpResponse<String> envoy, DiffRequest request) {
    List<String> problems = new ArrayList<>();
    Optional<String> backend = envoy.headers().firstValue(BACKEND_HEADER);
    boolean head = request.method().equals("HEAD");
    switch (simulated) {
      case SimulatedOutcome.Forwarded f -> {
        if (backend.isEmpty()) {
          problems.add("not forwarded: " + describe(envoy, head));
          break;
        }
        List<String> clusters =
            f.shares().stream()
                .filter(s -> s.percent() > 0)
                .map(ExpectedOutcome.Share::cluster)
                .toList();
        if (clusters.stream().noneMatch(c -> BACKENDS.get(c).contains(backend.get()))) {
          problems.add("served by backend " + backend.get() + ", not one of " + clusters);
        }
        if (!head) {
          JsonNode echo = Http.json(envoy);
          String query = echo.path("query").asText();
          String path = echo.path("path").asText() + (query.isEmpty() ? "" : "?" + query);
          String expectedPath = encodedPathAndQuery(f.upstreamPath());
          if (!path.equals(expectedPath)) {
            problems.add("upstream path " + path + ", simulated " + expectedPath);
          }
          Map<String, String> got = new TreeMap<>();
          echo.path("headers")
              .fields()
              .forEachRemaining(e -> {
                if (tracked(e.getKey())) {
                  got.put(e.getKey(), e.getValue().asText());
                }
              });
          Map<String, String> want = trackedOf(f.upstreamHeaders());
          if (!got.equals(want)) {
            problems.add("upstream headers " + got + ", simulated " + want);
          }
        }
        responseHeaders(envoy, f.responseHeaders(), problems);
      }
      case SimulatedOutcome.DirectResponse d -> {
        if (backend.isPresent() || envoy.statusCode() != d.status()) {
          problems.add("got " + describe(envoy, head) + ", simulated a direct " + d.status());
        } else if (!head && !envoy.body().equals(d.body())) {
          problems.add("body \"" + envoy.body() + "\", simulated \"" + d.body() + "\"");
        }
        responseHeaders(envoy, d.responseHeaders(), problems);
      }
      case SimulatedOutcome.Aborted a -> {
        if (backend.isPresent() || envoy.statusCode() != a.status()) {
          problems.add("got " + describe(envoy, head) + ", simulated a fault abort " + a.status());
        } else if (!head && !envoy.body().equals("fault filter abort")) {
          problems.add("body \"" + envoy.body() + "\", simulated \"" + "fault filter abort" + "\"");
        }
        responseHeaders(envoy, a.responseHeaders(), problems);
      }
      case SimulatedOutcome.Redirected r -> {
        String location = envoy.headers().firstValue("location").orElse("(none)");
        if (backend.isPresent()
            || envoy.statusCode() != r.status()
            || !location.equals(r.location())) {
          problems.add(
              "got " + describe(envoy, head) + ", simulated " + r.status() + " to " + r.location());
        }
        responseHeaders(envoy, r.responseHeaders(), problems);
      }
      case SimulatedOutcome.NotFound n -> {
        if (backend.isPresent() || envoy.statusCode() != 404) {
          problems.add("got " + describe(envoy, head) + ", simulated 404 (" + n.reason() + ")");
        }
        responseHeaders(envoy, Map.of(), problems);
      }
      default -> problems.add("a gateway request simulated as " + simulated);
    }
    return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
  }

  /** A one-word name of the kind of difference, for grouping mismatches in a report. */
  static String kind(String mismatch) {
    int colon = mismatch.indexOf(' ');
    return colon < 0 ? mismatch : mismatch.substring(0, Math.min(mismatch.length(), 16));
  }

  private static void responseHeaders(
      HttpResponse<String> envoy, Map<String, String> simulated, List<String> problems) {
    Map<String, String> got = new TreeMap<>();
    envoy
        .headers()
        .map()
        .forEach((k, v) -> {
          String name = k.toLowerCase(Locale.ROOT);
          if (name.startsWith("x-g-")) {
            got.put(name, String.join(",", v));
          }
        });
    Map<String, String> want = new TreeMap<>();
    simulated.forEach((k, v) -> {
      if (k.startsWith("x-g-")) {
        want.put(k, v);
      }
    });
    if (!got.equals(want)) {
      problems.add("response headers " + got + ", simulated " + want);
    }
  }

  private static boolean tracked(String header) {
    return header.startsWith("x-g-") || header.equals("host");
  }

  private static Map<String, String> trackedOf(Map<String, String> headers) {
    Map<String, String> out = new TreeMap<>();
    headers.forEach((k, v) -> {
      if (tracked(k)) {
        out.put(k, v);
      }
    });
    return out;
  }

  private static String describe(HttpResponse<String> envoy, boolean head) {
    return envoy.statusCode()
        + envoy.headers().firstValue(BACKEND_HEADER).map(b -> " from backend " + b).orElse("")
        + envoy.headers().firstValue("location").map(l -> " to " + l).orElse("")
        // Envoy's local replies name their cause ("no healthy upstream", "upstream connect error
        // or disconnect/reset before headers. reset reason: …"): kept whole up to 200 characters.
        + (head || envoy.body().isEmpty() || envoy.body().length() > 200
            ? ""
            : " \"" + envoy.body() + "\"");
  }

  /** The simulator's upstream path with its query encoded as the test sends it. */
  private static String encodedPathAndQuery(String upstream) {
    int q = upstream.indexOf('?');
    if (q < 0) {
      return upstream;
    }
    List<DiffRequest.Param> params = new ArrayList<>();
    for (String pair : upstream.substring(q + 1).split("&")) {
      String[] kv = pair.split("=", 2);
      params.add(new DiffRequest.Param(kv[0], kv.length > 1 ? kv[1] : ""));
    }
    return upstream.substring(0, q)
        + new DiffRequest("GET", "", "", List.of(), params).encodedQuery();
  }
}
