package dev.meshgate.xds;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshgate.compiler.Diagnostic;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The /status document. Built node by node, so field order is fixed by this code and not by
 * reflection; groups and proxies are sorted by key and id.
 */
final class StatusJson {
  static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private StatusJson() {}

  static String render(
      Publisher.View view, LastReload lastReload, List<ProxyTracker.ProxyStatus> proxies) {
    return render(view, lastReload, proxies, List.of());
  }

  static String render(
      Publisher.View view,
      LastReload lastReload,
      List<ProxyTracker.ProxyStatus> proxies,
      List<XdsRefusals.Refusal> refusals) {
    ObjectNode root = MAPPER.createObjectNode();
    ObjectNode policy = root.putObject("policy");
    policy.put("version", view.policyVersion());
    ObjectNode reload = policy.putObject("lastReload");
    reload.put("ok", lastReload.ok());
    reload.put("at", instant(lastReload.at()));
    ArrayNode diagnostics = reload.putArray("diagnostics");
    lastReload.diagnostics().forEach(d -> diagnostics.add(diagnostic(d)));
    reload.put("error", lastReload.error().orElse(null));
    reload.put("held", lastReload.held());

    ArrayNode groups = root.putArray("groups");
    view.groups()
        .forEach((key, versions) -> {
          ObjectNode group = groups.addObject();
          group.put("key", key);
          ObjectNode v = group.putObject("versions");
          v.put("clusters", versions.clusters());
          v.put("endpoints", versions.endpoints());
          v.put("listeners", versions.listeners());
          v.put("routes", versions.routes());
          if (!versions.secrets().isEmpty()) {
            v.put("secrets", versions.secrets()); // only groups with a workload identity
          }
        });

    ArrayNode proxyArray = root.putArray("proxies");
    for (ProxyTracker.ProxyStatus proxy : proxies) {
      ObjectNode p = proxyArray.addObject();
      p.put("id", proxy.id());
      p.put("group", proxy.group());
      // The certificate names the group, not the node: every proxy of a group holds the same
      // kind of credential, so node.id is as the proxy gave it (docs/security.md).
      p.put("idVerified", false);
      ArrayNode lagging = p.putArray("lagging");
      Lag.lagging(view, proxy, java.time.Instant.now()).forEach(t -> lagging.add(t.label()));
      p.put("connectedAt", instant(proxy.connectedAt()));
      ObjectNode xds = p.putObject("xds");
      for (XdsType type : XdsType.values()) {
        ProxyTracker.TypeStatus status = proxy.xds().get(type);
        if (status == null && type == XdsType.SECRETS) {
          continue; // not served yet; shown once a proxy asks
        }
        ObjectNode t = xds.putObject(type.label());
        Optional<ProxyTracker.TypeStatus> s = Optional.ofNullable(status);
        t.put("ackedVersion", s.flatMap(ProxyTracker.TypeStatus::ackedVersion).orElse(null));
        Optional<ProxyTracker.Nack> nack = s.flatMap(ProxyTracker.TypeStatus::lastNack);
        if (nack.isPresent()) {
          ObjectNode n = t.putObject("lastNack");
          n.put("version", nack.get().version());
          n.put("message", nack.get().message());
          n.put("at", instant(nack.get().at()));
        } else {
          t.putNull("lastNack");
        }
      }
    }

    // The latest streams refused for claiming a group their certificate does not name.
    ArrayNode refused = root.putArray("refused");
    for (XdsRefusals.Refusal r : refusals) {
      ObjectNode n = refused.addObject();
      n.put("at", instant(r.at()));
      n.put("reason", r.reason());
      n.put("nodeId", r.nodeId());
      n.put("claimedGroup", r.claimedGroup());
      n.put("certIdentity", r.certIdentity());
      n.put("peer", r.peer());
    }
    return write(root);
  }

  static ObjectNode diagnostic(Diagnostic d) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("severity", d.severity().name().toLowerCase(Locale.ROOT));
    node.put("code", d.code());
    node.put("file", d.span().file());
    node.put("line", d.span().line());
    node.put("column", d.span().column());
    node.put("message", d.message());
    node.put("rendered", d.render());
    return node;
  }

  static String object(Map<String, String> fields) {
    ObjectNode node = MAPPER.createObjectNode();
    fields.forEach(node::put);
    return write(node);
  }

  private static String write(ObjectNode node) {
    try {
      return MAPPER.writeValueAsString(node) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always serializes", e);
    }
  }

  private static String instant(Instant at) {
    return at.toString();
  }
}
