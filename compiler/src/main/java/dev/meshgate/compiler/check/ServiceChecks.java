package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.ast.ServiceDecl;
import dev.meshgate.compiler.ast.ServiceStmt;
import dev.meshgate.compiler.ast.StringLit;
import dev.meshgate.compiler.check.CheckContext.Sidecar;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Services: names, sources (static, Consul, Kubernetes), protocol, subsets and the sidecar block.
 */
final class ServiceChecks {
  private final CheckContext cx;
  private final Values values;
  private final PortChecks ports;

  ServiceChecks(CheckContext cx, PortChecks ports) {
    this.cx = cx;
    this.values = new Values(cx);
    this.ports = ports;
  }

  /** Kubernetes object names are DNS labels; the namespace part is optional. */
  private static final Pattern KUBERNETES_REF =
      Pattern.compile("([a-z0-9]([-a-z0-9]*[a-z0-9])?/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  /** A Service port name (an IANA service name: has a letter) or a port number 1..65535. */
  private static final Pattern KUBERNETES_PORT =
      Pattern.compile(
          "[a-z0-9]*[a-z][-a-z0-9]*|[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]");

  private static final Set<String> PROTOCOLS = Set.of("http", "http2", "grpc", "tcp");

  void service(ServiceDecl service) {
    String name = service.name().text();
    values.name(service.name(), "service");
    ServiceDecl first = cx.declare(service);
    if (first != null) {
      cx.error(
          DUPLICATE_SERVICE,
          service.name().span(),
          "duplicate service \""
              + name
              + "\"; it is first declared at "
              + cx.at(first.name().span()));
    }
    Map<String, ServiceStmt.SubsetStmt> own = new LinkedHashMap<>();
    if (first == null) {
      cx.subsets.put(name, own);
    }
    ServiceStmt sourceSeen = null;
    ServiceStmt protocolSeen = null;
    ServiceStmt sidecarSeen = null;
    List<ServiceStmt.Endpoint> endpoints = null;
    List<dev.meshgate.compiler.ast.ClusterStmt> clusterStmts = new java.util.ArrayList<>();
    for (ServiceStmt stmt : service.body()) {
      switch (stmt) {
        case ServiceStmt.StaticSource s -> {
          sourceSeen = once(sourceSeen, s, "source", name);
          endpoints = endpoints == null ? s.endpoints() : endpoints;
          for (ServiceStmt.Endpoint e : s.endpoints()) {
            values.port(e.port());
            e.hostname().ifPresent(this::endpointHostname);
            if (Values.IPV4.matcher(e.host()).matches()) {
              values.address(e.host(), e.hostSpan());
            } else {
              // Envoy's EDS takes IP addresses only; a name here would be NACKed at serve time.
              cx.error(
                  STATIC_HOST_NOT_IP,
                  e.hostSpan(),
                  "static endpoint \""
                      + e.host()
                      + "\" is not an IP address; Envoy resolves no names in"
                      + " endpoint lists, so write the address, like 127.0.0.1:"
                      + e.port().text());
            }
          }
        }
        case ServiceStmt.ConsulSource s -> {
          sourceSeen = once(sourceSeen, s, "source", name);
          consulSource(s);
        }
        case ServiceStmt.KubernetesSource s -> {
          sourceSeen = once(sourceSeen, s, "source", name);
          kubernetesSource(s);
        }
        case ServiceStmt.ProtocolStmt p -> {
          protocolSeen = once(protocolSeen, p, "protocol", name);
          if (!PROTOCOLS.contains(p.protocol().text())) {
            cx.error(
                UNKNOWN_PROTOCOL,
                p.protocol().span(),
                "unknown protocol \"" + p.protocol().text() + "\"; use http, http2, grpc or tcp");
          }
        }
        case ServiceStmt.Sidecar sc -> {
          sidecarSeen = once(sidecarSeen, sc, "sidecar", name);
          Sidecar checked = ports.sidecar(name, sc);
          if (first == null && sidecarSeen == sc) {
            cx.sidecars.put(name, checked);
          }
        }
        case ServiceStmt.ClusterSetting c -> clusterStmts.add(c.stmt());
        case ServiceStmt.TracingSetting t -> {} // TracingChecks
        case ServiceStmt.SubsetStmt s -> {
          values.name(s.name(), "subset");
          ServiceStmt.SubsetStmt before = own.putIfAbsent(s.name().text(), s);
          if (before != null) {
            cx.error(
                DUPLICATE_SUBSET,
                s.name().span(),
                "duplicate subset \""
                    + s.name().text()
                    + "\" in service \""
                    + name
                    + "\"; it is first declared at "
                    + cx.at(before.name().span()));
          }
        }
      }
    }
    ClusterSettingChecks clusterChecks = new ClusterSettingChecks(cx);
    clusterChecks.check(name, clusterStmts);
    for (ServiceStmt stmt : service.body()) {
      if (stmt instanceof ServiceStmt.SubsetStmt s) {
        String place = "subset \"" + s.name().text() + "\" of service \"" + name + "\"";
        clusterChecks.override(place, name, s.cluster(), clusterStmts);
      }
    }
    if (sourceSeen == null && cx.current.complete() && first == null) {
      cx.error(
          SERVICE_WITHOUT_SOURCE,
          service.name().span(),
          "service \"" + name + "\" has no source; add one like `source static 127.0.0.1:9101`");
    }
    Sidecar sidecar = first == null ? cx.sidecars.get(name) : null;
    if (endpoints != null && sidecar != null && sidecar.inbound().isPresent()) {
      long inboundPort = sidecar.inbound().get().port().value();
      for (ServiceStmt.Endpoint e : endpoints) {
        if (e.port().value() != inboundPort) {
          cx.warning(
              SOURCE_BYPASSES_SIDECAR,
              e.span(),
              "callers reach service \""
                  + name
                  + "\" at "
                  + e.host()
                  + ":"
                  + e.port().text()
                  + ", which is not its sidecar's inbound port "
                  + inboundPort
                  + ", so their requests bypass the sidecar (no mTLS, no authorization); list the sidecar's address in `source`");
        }
      }
    }
    if (endpoints != null && first == null) {
      cx.staticEndpoints.put(name, endpoints);
    }
    if (endpoints != null) {
      for (ServiceStmt.SubsetStmt s : own.values()) {
        if (!selectsAny(s, endpoints)) {
          cx.warning(
              SUBSET_MATCHES_NOTHING,
              s.name().span(),
              "subset \""
                  + s.name().text()
                  + "\" selects none of the static endpoints of service \""
                  + name
                  + "\"; check the labels after `labels`");
        }
      }
    }
  }

  static boolean selectsAny(ServiceStmt.SubsetStmt subset, List<ServiceStmt.Endpoint> endpoints) {
    return endpoints.stream()
        .anyMatch(
            e ->
                subset.where().stream()
                    .allMatch(
                        sel ->
                            e.labels().stream()
                                .anyMatch(
                                    l ->
                                        l.key().equals(sel.key())
                                            && l.value().equals(sel.value()))));
  }

  /**
   * The statement to keep: {@code seen} (the first, reporting {@code stmt}) or else {@code stmt}.
   */
  private <T extends ServiceStmt> ServiceStmt once(
      @Nullable ServiceStmt seen, T stmt, String keyword, String service) {
    if (seen != null) {
      cx.error(
          DUPLICATE_SERVICE_SETTING,
          stmt.span(),
          "service \""
              + service
              + "\" has more than one `"
              + keyword
              + "`; the first is at "
              + cx.at(seen.span()));
      return seen;
    }
    return stmt;
  }

  void consulSource(ServiceStmt.ConsulSource s) {
    if (s.service().value().isBlank()) {
      cx.error(
          INVALID_SOURCE,
          s.service().span(),
          "the Consul service name is empty; write the name the service registers with, like \"catalog\"");
    }
    consulOption(s.datacenters(), "datacenter", "dc1");
    consulOption(s.tags(), "tag", "canary");
  }

  void consulOption(List<StringLit> values, String option, String example) {
    for (int i = 0; i < values.size(); i++) {
      StringLit value = values.get(i);
      if (i > 0) {
        cx.error(
            INVALID_SOURCE,
            value.span(),
            "`"
                + option
                + "` is given twice for this Consul source (first at "
                + cx.at(values.get(0).span())
                + "); keep one");
      } else if (value.value().isBlank()) {
        cx.error(
            INVALID_SOURCE,
            value.span(),
            "the Consul "
                + option
                + " is empty; write one like \""
                + example
                + "\" or leave the option out");
      }
    }
  }

  void kubernetesSource(ServiceStmt.KubernetesSource s) {
    if (!KUBERNETES_REF.matcher(s.ref().value()).matches()) {
      cx.error(
          INVALID_SOURCE,
          s.ref().span(),
          "invalid Kubernetes service \""
              + s.ref().value()
              + "\"; write NAMESPACE/NAME in lower case, like"
              + " \"shop/catalog\" (the namespace defaults to \"default\")");
    }
    if (s.port().isEmpty()) {
      cx.error(
          INVALID_SOURCE,
          s.span(),
          "a Kubernetes source needs the Service port to send to; add `port NAME` or `port NUMBER`, like `port http`");
    } else if (!KUBERNETES_PORT.matcher(s.port().get().text()).matches()) {
      cx.error(
          INVALID_SOURCE,
          s.port().get().span(),
          "invalid Kubernetes port \""
              + s.port().get().text()
              + "\"; use the Service port's name (lower case,"
              + " like http) or its number from 1 to 65535");
    }
  }

  /** A DNS name: what Envoy sends as Host for {@code rewrite host to-endpoint}. */
  private static final java.util.regex.Pattern DNS_NAME =
      java.util.regex.Pattern.compile(
          "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

  private void endpointHostname(dev.meshgate.compiler.ast.StringLit hostname) {
    if (!DNS_NAME.matcher(hostname.value()).matches() || hostname.value().length() > 253) {
      cx.error(
          INVALID_ENDPOINT_HOSTNAME,
          hostname.span(),
          "endpoint hostname \""
              + hostname.value()
              + "\" is not a DNS name; write a name like \"api-1.internal\", without port,"
              + " scheme or path");
    }
  }
}
