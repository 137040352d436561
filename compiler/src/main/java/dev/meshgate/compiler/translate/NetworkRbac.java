package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import dev.meshgate.compiler.ir.InboundAuthzIr;
import dev.meshgate.compiler.ir.MeshIr;
import dev.meshgate.compiler.ir.SidecarIr;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.rbac.v3.RBAC.Action;
import io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC;
import java.util.ArrayList;
import java.util.List;

/**
 * Inbound authorization of a {@code tcp} service: {@code envoy.filters.network.rbac} filters before
 * the tcp_proxy, evaluated like the HTTP case (any matching deny closes the connection; under
 * {@code authz default deny} a connection needs a matching allow). At L4 a rule can only match the
 * peer: its SPIFFE ID from the client certificate (the checker refuses methods and paths towards a
 * tcp service), so every policy's permission is "any".
 *
 * <ol>
 *   <li>{@code meshgate.rbac.deny}: the {@code deny} rules, and the {@code deny dry-run} rules as
 *       {@code shadow_rules}; present when there is any of them;
 *   <li>{@code meshgate.rbac.allow}: under {@code authz default deny}, the {@code allow} rules (an
 *       empty set denies every connection); absent under {@code authz default allow}.
 * </ol>
 *
 * <p>There is no RDS for network filters: the rules live in the listener, so a rule change is a
 * listener update. Envoy applies it to new connections at once; established connections keep the
 * filter chain (and the rules) they were accepted with until they close or the old chain's drain
 * time ends (docs/security.md).
 *
 * <p>Stats (network RBAC counts under {@code <stat_prefix>.rbac.}): {@code <svc>_deny.rbac.denied},
 * {@code <svc>_deny.rbac.shadow_denied}, {@code <svc>_allow.rbac.allowed}, {@code
 * <svc>_allow.rbac.denied}.
 */
final class NetworkRbac {
  static final String NETWORK_RBAC = "envoy.filters.network.rbac";

  private NetworkRbac() {}

  static List<Filter> filters(SidecarIr sidecar) {
    InboundAuthzIr authz = sidecar.authz();
    List<Filter> filters = new ArrayList<>();
    if (!authz.deny().isEmpty() || !authz.shadowDeny().isEmpty()) {
      RBAC.Builder deny = RBAC.newBuilder().setStatPrefix(denyPrefix(sidecar));
      if (!authz.deny().isEmpty()) {
        deny.setRules(Rbac.rules(Action.DENY, authz.deny()));
      }
      if (!authz.shadowDeny().isEmpty()) {
        deny.setShadowRules(Rbac.rules(Action.DENY, authz.shadowDeny()));
      }
      filters.add(filter(Rbac.DENY_FILTER, deny.build()));
    }
    if (authz.defaultAction() == MeshIr.AuthzDefault.DENY) {
      filters.add(
          filter(
              Rbac.ALLOW_FILTER,
              RBAC.newBuilder()
                  .setStatPrefix(allowPrefix(sidecar))
                  .setRules(Rbac.rules(Action.ALLOW, authz.allow()))
                  .build()));
    }
    return List.copyOf(filters);
  }

  /** {@code <svc>_deny}: Envoy counts under {@code <svc>_deny.rbac.*}. */
  static String denyPrefix(SidecarIr sidecar) {
    return sidecar.service() + "_deny";
  }

  /** {@code <svc>_allow}: Envoy counts under {@code <svc>_allow.rbac.*}. */
  static String allowPrefix(SidecarIr sidecar) {
    return sidecar.service() + "_allow";
  }

  private static Filter filter(String name, RBAC config) {
    return Filter.newBuilder().setName(name).setTypedConfig(Any.pack(config)).build();
  }
}
