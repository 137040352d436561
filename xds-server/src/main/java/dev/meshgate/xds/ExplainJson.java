package dev.meshgate.xds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshgate.compiler.CompiledPolicy;
import dev.meshgate.compiler.ProxyGroup;
import dev.meshgate.compiler.RequestLine;
import dev.meshgate.compiler.simulate.Decider;
import dev.meshgate.compiler.simulate.ExpectedOutcome;
import dev.meshgate.compiler.simulate.PolicySimulator;
import dev.meshgate.compiler.simulate.SimulatedOutcome;
import dev.meshgate.compiler.simulate.Simulation;
import dev.meshgate.compiler.simulate.TestRequest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /explain?request=…}: what the served policy's Envoys do with one request, by the same
 * simulator as {@code meshgate test}, over the policy the server serves right now.
 */
final class ExplainJson {
  private ExplainJson() {}

  static AdminServer.Answer answer(
      CompiledPolicy served, String policyVersion, Map<String, String> query) {
    String text = query.getOrDefault("request", "");
    RequestLine.Parsed parsed = RequestLine.parse(text);
    return switch (parsed) {
      case RequestLine.Invalid invalid ->
          AdminServer.Answer.error(400, "request \"" + text.strip() + "\": " + invalid.message());
      case RequestLine.Request request ->
          AdminServer.Answer.json(
              render(
                  request.request(),
                  PolicySimulator.simulate(served, request.request()),
                  policyVersion));
    };
  }

  static String render(TestRequest request, Simulation simulation, String policyVersion) {
    ObjectNode root = StatusJson.MAPPER.createObjectNode();
    root.put("request", request.toString());
    root.put("policyVersion", policyVersion);
    root.put(
        "group",
        switch (request) {
          case TestRequest.ViaGateway g -> ProxyGroup.gateway(g.gateway()).key();
          case TestRequest.Call c -> ProxyGroup.sidecar(c.callee()).key();
        });
    SimulatedOutcome outcome = simulation.outcome();
    ObjectNode o = root.putObject("outcome");
    o.put("kind", kind(outcome));
    o.put("text", describe(outcome));
    if (simulation.decidedBy().isPresent()) {
      Decider d = simulation.decidedBy().get();
      ObjectNode decided = root.putObject("decidedBy");
      decided.put("description", d.description());
      decided.put("origin", d.origin().orElse(null));
    } else {
      root.putNull("decidedBy");
    }
    String by = simulation.decidedBy().map(Decider::description).orElse("");
    root.put("route", by.startsWith("route ") ? by.substring("route ".length()) : null);
    root.put(
        "rule",
        by.startsWith("allow rule ") || by.startsWith("deny rule ")
            ? by.substring(by.indexOf(' ') + " rule ".length()).replace("\"", "")
            : null);
    ArrayNode clusters = root.putArray("clusters");
    ArrayNode mirrors = root.putArray("mirrors");
    if (outcome instanceof SimulatedOutcome.Forwarded f) {
      shares(f.shares(), clusters);
      shares(f.mirrors(), mirrors);
      root.put("upstreamPath", f.upstreamPath());
      ObjectNode headers = root.putObject("upstreamHeaders");
      new TreeMap<>(f.upstreamHeaders()).forEach(headers::put);
    }
    ArrayNode notes = root.putArray("notes");
    simulation.notes().forEach(notes::add);
    try {
      return StatusJson.MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always serializes", e);
    }
  }

  private static void shares(List<ExpectedOutcome.Share> shares, ArrayNode out) {
    for (ExpectedOutcome.Share share : shares) {
      ObjectNode s = out.addObject();
      s.put("cluster", share.cluster());
      s.put("percent", share.percent());
    }
  }

  private static String kind(SimulatedOutcome outcome) {
    return switch (outcome) {
      case SimulatedOutcome.Forwarded f -> "forwarded";
      case SimulatedOutcome.DirectResponse d -> "response";
      case SimulatedOutcome.Aborted a -> "fault";
      case SimulatedOutcome.Redirected r -> "redirect";
      case SimulatedOutcome.RateLimited r -> "rate-limited";
      case SimulatedOutcome.NotSimulated n -> "not-simulated";
      case SimulatedOutcome.NotFound n -> "not-found";
      case SimulatedOutcome.Allowed a -> "allowed";
      case SimulatedOutcome.Denied d -> "denied";
      case SimulatedOutcome.Refused r -> "refused";
    };
  }

  private static String describe(SimulatedOutcome outcome) {
    return switch (outcome) {
      case SimulatedOutcome.Forwarded f -> "forwarded to " + f;
      case SimulatedOutcome.DirectResponse d ->
          d.status()
              + (d.body().isEmpty() ? "" : " \"" + d.body() + "\"")
              + " (answered by the proxy)";
      case SimulatedOutcome.Aborted a -> "fault abort " + a.status() + " (fault filter)";
      case SimulatedOutcome.Redirected r -> r.toString();
      case SimulatedOutcome.RateLimited r -> "429 (local rate limit)";
      case SimulatedOutcome.NotSimulated n -> "not simulated (" + n.reason() + ")";
      case SimulatedOutcome.NotFound n -> "404 (" + n.reason() + ")";
      case SimulatedOutcome.Allowed a -> "allowed";
      case SimulatedOutcome.Denied d -> "denied (403)";
      case SimulatedOutcome.Refused r -> "refused (" + r.reason() + ")";
    };
  }
}
