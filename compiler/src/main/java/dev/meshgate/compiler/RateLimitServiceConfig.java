package dev.meshgate.compiler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.PolicyIr;
import dev.meshgate.compiler.ir.RateLimitIr;
import dev.meshgate.compiler.ir.RouteIr;
import dev.meshgate.compiler.ir.VirtualHostIr;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * global rate limits (issue 13): the configuration of Envoy's rate-limit service ({@code
 * envoyproxy/ratelimit}) for a compiled policy: one YAML file per gateway that has {@code global}
 * limits, named {@code <gateway>.yaml}, with the gateway's name as its {@code domain}. Each limited
 * route is one top-level descriptor {@code route: <route name>} (the value the route's rate-limit
 * action sends, see {@code translate/GlobalRateLimits}) with the route's budget; a keyed limit adds
 * a nested descriptor without a value ({@code key}, or {@code remote_address} for {@code by
 * client-ip}), which the service counts per distinct value, while requests without the value count
 * in the route's own budget. {@code dry-run} is the service's {@code shadow_mode}: counted, never
 * refused. Same policy, byte-identical files.
 */
public final class RateLimitServiceConfig {
  private static final YAMLMapper YAML =
      new YAMLMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              .disable(YAMLGenerator.Feature.SPLIT_LINES)
              .build());

  private RateLimitServiceConfig() {}

  /** File name ({@code edge.yaml}) → content, sorted by name; empty without global limits. */
  public static SortedMap<String, String> files(PolicyIr policy) {
    SortedMap<String, String> files = new TreeMap<>();
    for (GatewayIr gateway : policy.gateways()) {
      if (gateway.rateLimitService().isEmpty()) {
        continue;
      }
      List<Map<String, Object>> descriptors = new ArrayList<>();
      for (VirtualHostIr host : gateway.hosts()) {
        for (RouteIr route : host.routes()) {
          route
              .rateLimit()
              .filter(RateLimitIr::global)
              .ifPresent(limit -> descriptors.add(descriptor(route.name(), limit)));
        }
      }
      if (descriptors.isEmpty()) {
        continue;
      }
      String domain = gateway.rateLimitService().get().domain();
      Map<String, Object> config = new LinkedHashMap<>();
      config.put("domain", domain);
      config.put("descriptors", descriptors);
      files.put(domain + ".yaml", header(gateway.name()) + yaml(config));
    }
    return files;
  }

  private static Map<String, Object> descriptor(String route, RateLimitIr limit) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("key", "route");
    d.put("value", route);
    d.put("rate_limit", rate(limit));
    if (limit.dryRun()) {
      d.put("shadow_mode", true);
    }
    limit
        .key()
        .ifPresent(
            key -> {
              Map<String, Object> keyed = new LinkedHashMap<>();
              keyed.put("key", key instanceof RateLimitIr.Key.ClientIp ? "remote_address" : "key");
              keyed.put("rate_limit", rate(limit));
              if (limit.dryRun()) {
                keyed.put("shadow_mode", true);
              }
              d.put("descriptors", List.of(keyed));
            });
    return d;
  }

  private static Map<String, Object> rate(RateLimitIr limit) {
    Map<String, Object> rate = new LinkedHashMap<>();
    // The checker refused every interval the service has no unit for (MG441).
    rate.put("unit", RateLimitIr.serviceUnit(limit.interval()).orElseThrow());
    rate.put("requests_per_unit", limit.tokens());
    return rate;
  }

  private static String header(String gateway) {
    return "# Envoy rate-limit service configuration for gateway \""
        + gateway
        + "\", written by Meshgate from the policy: do not edit.\n";
  }

  private static String yaml(Object document) {
    try {
      return YAML.writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
