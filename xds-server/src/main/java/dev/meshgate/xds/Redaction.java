package dev.meshgate.xds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Takes key material out of a resource's protobuf JSON before the admin API shows it. Two rules:
 *
 * <ul>
 *   <li>In every type, the value of a field that holds a secret by its name ({@code privateKey},
 *       {@code password}, a generic {@code secret}, {@code sessionTicketKeys}, {@code pkcs12}, …)
 *       becomes {@value #REDACTED}, whatever its shape (inline bytes, a string, a file name).
 *   <li>In SDS secrets, default deny: every inline value ({@code inlineBytes}, {@code
 *       inlineString}) becomes {@value #REDACTED}, except under {@code certificateChain} and {@code
 *       trustedCa}, which are public certificates.
 * </ul>
 */
final class Redaction {
  static final String REDACTED = "[redacted]";

  /** Protobuf JSON names of fields whose whole value is secret. */
  static final Set<String> SECRET_FIELDS =
      Set.of(
          "privateKey",
          "password",
          "secret",
          "sessionTicketKeys",
          "pkcs12",
          "privateKeyProvider",
          "hmacSecret",
          "clientSecret",
          "users",
          "credentials");

  private static final Set<String> INLINE = Set.of("inlineBytes", "inlineString");

  private static final Set<String> PUBLIC = Set.of("certificateChain", "trustedCa");

  private Redaction() {}

  /** {@code resource} with every secret replaced (the node is changed in place and returned). */
  static JsonNode redact(XdsType type, JsonNode resource) {
    walk(resource, type == XdsType.SECRETS);
    return resource;
  }

  private static void walk(JsonNode node, boolean inlineIsSecret) {
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        if (SECRET_FIELDS.contains(name) || (inlineIsSecret && INLINE.contains(name))) {
          object.set(name, TextNode.valueOf(REDACTED));
        } else {
          walk(object.get(name), inlineIsSecret && !PUBLIC.contains(name));
        }
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(item -> walk(item, inlineIsSecret));
    }
  }
}
