package dev.meshgate.compiler.ast;

import dev.meshgate.compiler.Span;
import java.util.List;
import java.util.Optional;

/** A statement inside a service block. */
public sealed interface ServiceStmt extends Node {

  /** {@code source static 127.0.0.1:9101 labels k=v, …}. */
  record StaticSource(List<Endpoint> endpoints, Span span) implements ServiceStmt {
    public StaticSource {
      endpoints = List.copyOf(endpoints);
    }
  }

  /**
   * {@code source consul "name" [datacenter "dc1"] [tag "t"]}; options kept as written, repeats
   * included, for the checker.
   */
  record ConsulSource(
      StringLit service, List<StringLit> datacenters, List<StringLit> tags, Span span)
      implements ServiceStmt {
    public ConsulSource {
      datacenters = List.copyOf(datacenters);
      tags = List.copyOf(tags);
    }
  }

  /** {@code source kubernetes "ns/name" port http|8080}; the port's text is a name or a number. */
  record KubernetesSource(StringLit ref, Optional<Name> port, Span span) implements ServiceStmt {}

  /** {@code protocol http}. */
  record ProtocolStmt(Name protocol, Span span) implements ServiceStmt {}

  /**
   * {@code subset NAME where k = "v" and … [{ cluster statements }]}: {@code cluster} holds the
   * subset's own cluster settings (issue 14), each replacing the service's of the same kind.
   */
  record SubsetStmt(Name name, List<Label> where, List<ClusterStmt> cluster, Span span)
      implements ServiceStmt {
    public SubsetStmt {
      where = List.copyOf(where);
      cluster = List.copyOf(cluster);
    }

    /** A subset without cluster settings of its own. */
    public SubsetStmt(Name name, List<Label> where, Span span) {
      this(name, where, List.of(), span);
    }
  }

  /** {@code sidecar { inbound … app … outbound … }}: the service is in the mesh. */
  record Sidecar(
      List<SidecarStmt> body,
      Span span,
      List<GatewayStmt.Zone> zones,
      List<AccessLogSpec> accessLogs)
      implements ServiceStmt {
    public Sidecar {
      body = List.copyOf(body);
      zones = List.copyOf(zones);
      accessLogs = List.copyOf(accessLogs);
    }

    /** A sidecar without {@code access-log}. */
    public Sidecar(List<SidecarStmt> body, Span span, List<GatewayStmt.Zone> zones) {
      this(body, span, zones, List.of());
    }

    /** A sidecar without {@code zone}. */
    public Sidecar(List<SidecarStmt> body, Span span) {
      this(body, span, List.of());
    }
  }

  /** A cluster setting on the service (issue 14): the default for every caller. */
  record ClusterSetting(ClusterStmt stmt) implements ServiceStmt {
    @Override
    public Span span() {
      return stmt.span();
    }
  }

  /** tracing (issue 15): the service's {@code tracing { … }} block, for its sidecars. */
  record TracingSetting(Tracing tracing) implements ServiceStmt {
    @Override
    public Span span() {
      return tracing.span();
    }
  }

  /** {@code inbound [ADDRESS]:PORT}, {@code app …}, {@code outbound …}. */
  record SidecarStmt(
      SidecarStmt.Kind kind, Optional<GatewayStmt.Address> address, NumberLit port, Span span)
      implements Node {
    public enum Kind {
      INBOUND,
      APP,
      OUTBOUND;

      public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
      }
    }
  }

  /**
   * One static endpoint: {@code HOST:PORT [hostname "NAME"] [labels k=v …]}; the hostname is what
   * {@code rewrite host to-endpoint} sends as Host.
   */
  record Endpoint(
      String host,
      Span hostSpan,
      NumberLit port,
      Optional<StringLit> hostname,
      List<Label> labels,
      Span span)
      implements Node {
    public Endpoint {
      labels = List.copyOf(labels);
    }
  }

  /** {@code key=value} (endpoint label) or {@code key = "value"} (subset selector). */
  record Label(String key, String value, Span span) implements Node {}
}
