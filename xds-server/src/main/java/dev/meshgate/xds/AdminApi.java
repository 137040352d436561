package dev.meshgate.xds;

import dev.meshgate.compiler.CompiledPolicy;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The admin API's pages beyond health: {@code /status}, {@code /metrics}, {@code /version}, {@code
 * /config/GROUP[?type=routes]} and {@code /explain?request=…} (docs/operations.md).
 */
final class AdminApi {
  private AdminApi() {}

  /** What the pages read, each a live view of the running server. */
  record Sources(
      Supplier<String> status,
      Supplier<String> metrics,
      Supplier<Publisher.View> view,
      Function<String, Optional<Snapshot>> snapshot,
      Supplier<CompiledPolicy> served,
      java.util.function.BooleanSupplier ready) {}

  static Map<String, AdminServer.Page> pages(Sources sources) {
    Map<String, AdminServer.Page> pages = new LinkedHashMap<>();
    pages.put("/status", AdminServer.Page.of(AdminServer.JSON, sources.status()));
    pages.put("/metrics", AdminServer.Page.of(AdminServer.PROMETHEUS, sources.metrics()));
    pages.put(
        AdminServer.READY,
        request ->
            sources.ready().getAsBoolean()
                ? AdminServer.Answer.json(StatusJson.object(Map.of("status", "ready")))
                : AdminServer.Answer.error(503, "draining: this replica is shutting down"));
    pages.put(
        "/version",
        AdminServer.Page.of(
            AdminServer.JSON,
            () ->
                StatusJson.object(
                    Map.of(
                        "server", version(),
                        "java", Runtime.version().toString(),
                        "policyVersion", sources.view().get().policyVersion()))));
    pages.put("/config/", request -> config(sources, request));
    pages.put(
        "/explain",
        request ->
            ExplainJson.answer(
                sources.served().get(), sources.view().get().policyVersion(), request.query()));
    return pages;
  }

  private static AdminServer.Answer config(Sources sources, AdminServer.Request request) {
    List<String> groups = new ArrayList<>(sources.view().get().groups().keySet());
    String name = request.path();
    Optional<String> group = resolve(name, groups);
    if (group.isEmpty()) {
      return AdminServer.Answer.error(
          404,
          (name.isEmpty() ? "no group given" : "no group " + name)
              + "; the policy's groups are "
              + (groups.isEmpty() ? "none" : String.join(", ", groups)));
    }
    Optional<Snapshot> snapshot = sources.snapshot().apply(group.get());
    if (snapshot.isEmpty()) {
      return AdminServer.Answer.error(404, "group " + group.get() + " has no snapshot yet");
    }
    List<XdsType> types = new ArrayList<>();
    String type = request.query().getOrDefault("type", "");
    if (type.isEmpty()) {
      types.addAll(Arrays.asList(XdsType.values()));
    } else {
      for (XdsType t : XdsType.values()) {
        if (t.label().equals(type.toLowerCase(Locale.ROOT))) {
          types.add(t);
        }
      }
      if (types.isEmpty()) {
        return AdminServer.Answer.error(
            400,
            "no type "
                + type
                + "; the types are "
                + Arrays.stream(XdsType.values())
                    .map(XdsType::label)
                    .collect(Collectors.joining(", ")));
      }
    }
    return AdminServer.Answer.json(ConfigJson.render(group.get(), snapshot.get(), types));
  }

  /** A group key ({@code gateway:edge}), or a bare name when one group has it ({@code edge}). */
  static Optional<String> resolve(String name, List<String> groups) {
    if (groups.contains(name)) {
      return Optional.of(name);
    }
    List<String> byName = groups.stream().filter(g -> g.endsWith(":" + name)).toList();
    return byName.size() == 1 ? Optional.of(byName.getFirst()) : Optional.empty();
  }

  /** This server's version (the Maven project version, filtered into a resource at build). */
  static String version() {
    Properties p = new Properties();
    try (InputStream in = AdminApi.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // unknown below
    }
    String v = p.getProperty("version", "");
    return v.isEmpty() || v.startsWith("${") ? "unknown" : v;
  }
}
