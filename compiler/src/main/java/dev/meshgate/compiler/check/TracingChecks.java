package dev.meshgate.compiler.check;

import static dev.meshgate.compiler.check.Codes.*;

import dev.meshgate.compiler.Span;
import dev.meshgate.compiler.ast.CallDecl;
import dev.meshgate.compiler.ast.Decl;
import dev.meshgate.compiler.ast.GatewayDecl;
import dev.meshgate.compiler.ast.GatewayStmt;
import dev.meshgate.compiler.ast.PolicyFile;
import dev.meshgate.compiler.ast.RouteDecl;
import dev.meshgate.compiler.ast.RouteStmt;
import dev.meshgate.compiler.ast.ServiceDecl;
import dev.meshgate.compiler.ast.ServiceStmt;
import dev.meshgate.compiler.ast.Tracing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * tracing (issue 15): each {@code tracing { … }} block (one per gateway or service, a collector
 * {@code host:port}, a sample from 0% to 100%, each field once, tag names unique, header names
 * valid), and {@code trace sample} only where a {@code tracing} block is in scope: on a gateway
 * that has one, or on a call whose caller has one. The range of {@code trace sample} itself is
 * {@code setting/TraceSamples}.
 */
final class TracingChecks {
  private static final Pattern HOST =
      Pattern.compile(
          "(\\d{1,3}(\\.\\d{1,3}){3})|([a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)");

  private final CheckContext cx;
  private final Values values;

  TracingChecks(CheckContext cx, Values values) {
    this.cx = cx;
    this.values = values;
  }

  void run() {
    for (PolicyFile file : cx.files) {
      cx.current = file;
      for (Decl decl : file.decls()) {
        switch (decl) {
          case GatewayDecl g -> gateway(g);
          case ServiceDecl s -> service(s);
          case CallDecl c -> call(c);
          default -> {}
        }
      }
    }
  }

  // Loops, not streams, below: these run for every declaration on every reload (issue 17.1), and
  // almost always find nothing.

  private void service(ServiceDecl s) {
    List<Tracing> blocks = new ArrayList<>(1);
    for (ServiceStmt stmt : s.body()) {
      if (stmt instanceof ServiceStmt.TracingSetting t) {
        blocks.add(t.tracing());
      }
    }
    if (!blocks.isEmpty()) {
      blocks(blocks, "service \"" + s.name().text() + "\"");
    }
  }

  private void gateway(GatewayDecl g) {
    String where = "gateway \"" + g.name().text() + "\"";
    List<Tracing> blocks = new ArrayList<>(1);
    for (GatewayStmt stmt : g.body()) {
      if (stmt instanceof GatewayStmt.TracingSetting t) {
        blocks.add(t.tracing());
      }
    }
    if (!blocks.isEmpty()) {
      blocks(blocks, where);
      return;
    }
    for (GatewayStmt stmt : g.body()) {
      if (stmt instanceof GatewayStmt.RouteSetting r) {
        withoutTracing(List.of(r.stmt()), where, where);
      } else if (stmt instanceof GatewayStmt.Host h) {
        withoutTracing(h.settings(), where, where);
        for (RouteDecl route : h.routes()) {
          withoutTracing(route.body(), where, where);
        }
      }
    }
  }

  private void call(CallDecl c) {
    if (!hasTraceSample(c.body())) {
      return;
    }
    ServiceDecl caller = cx.services.get(c.caller().text());
    if (caller == null
        || caller.body().stream().anyMatch(ServiceStmt.TracingSetting.class::isInstance)) {
      return; // an unknown caller is reported elsewhere
    }
    withoutTracing(
        c.body(),
        "the sidecar of \"" + c.caller().text() + "\"",
        "service \"" + c.caller().text() + "\"");
  }

  private static boolean hasTraceSample(List<RouteStmt> stmts) {
    for (RouteStmt stmt : stmts) {
      if (stmt instanceof RouteStmt.TraceSample) {
        return true;
      }
    }
    return false;
  }

  /** Reports each {@code trace sample} of {@code stmts}: its proxy does not trace. */
  private void withoutTracing(List<RouteStmt> stmts, String proxy, String where) {
    for (RouteStmt stmt : stmts) {
      if (stmt instanceof RouteStmt.TraceSample t) {
        withoutTracing(t.span(), proxy, where);
      }
    }
  }

  private void withoutTracing(Span span, String proxy, String where) {
    cx.error(
        TRACE_WITHOUT_TRACING,
        span,
        "`trace sample` overrides the sample of a `tracing` block, but "
            + proxy
            + " does not trace; add `tracing { collector \"HOST:PORT\" }` to "
            + where);
  }

  private void blocks(List<Tracing> blocks, String where) {
    for (int i = 0; i < blocks.size(); i++) {
      Tracing t = blocks.get(i);
      if (i > 0) {
        cx.error(
            DUPLICATE_TRACING,
            t.span(),
            "`tracing` is written twice in "
                + where
                + " (first at "
                + cx.at(blocks.getFirst().span())
                + "); keep one");
        continue;
      }
      block(t, where);
    }
  }

  private void block(Tracing t, String where) {
    List<Tracing.Field.Collector> collectors = t.all(Tracing.Field.Collector.class);
    if (collectors.isEmpty()) {
      cx.error(
          TRACING_WITHOUT_COLLECTOR,
          t.span(),
          "`tracing` in "
              + where
              + " says nowhere to send spans; add `collector \"HOST:PORT\"` (an OTLP/gRPC"
              + " receiver, e.g. an OpenTelemetry Collector on 4317)");
    } else {
      collector(collectors.getFirst());
      once(collectors, "collector");
    }
    List<Tracing.Field.Sample> samples = t.all(Tracing.Field.Sample.class);
    for (Tracing.Field.Sample s : samples) {
      if (s.percent().value() > 100) {
        cx.error(
            TRACE_SAMPLE_RANGE,
            s.percent().span(),
            "a sample is a share of requests from 0% to 100%, found " + s.percent().text() + "%");
      }
    }
    once(samples, "sample");
    Map<String, Tracing.Field.Tag> tags = new HashMap<>();
    for (Tracing.Field.Tag tag : t.all(Tracing.Field.Tag.class)) {
      values.headerName(tag.header());
      if (tag.name().value().isBlank()) {
        cx.error(
            TRACING_TAG_NAME,
            tag.name().span(),
            "a span tag needs a name; write `tag \"tenant\" from header \"x-tenant\"`");
        continue;
      }
      Tracing.Field.Tag before = tags.putIfAbsent(tag.name().value(), tag);
      if (before != null) {
        cx.error(
            DUPLICATE_TRACING,
            tag.name().span(),
            "span tag "
                + tag.name().raw()
                + " is written twice (first at "
                + cx.at(before.span())
                + "); keep one");
      }
    }
  }

  private void once(List<? extends Tracing.Field> fields, String keyword) {
    for (Tracing.Field f : fields.subList(Math.min(1, fields.size()), fields.size())) {
      cx.error(
          DUPLICATE_TRACING,
          f.span(),
          "`"
              + keyword
              + "` is written twice in this `tracing` block (first at "
              + cx.at(fields.getFirst().span())
              + "); keep one");
    }
  }

  private void collector(Tracing.Field.Collector c) {
    if (!hostPort(c.address().value())) {
      cx.error(
          TRACING_COLLECTOR,
          c.address().span(),
          "collector "
              + c.address().raw()
              + " is not HOST:PORT; write the OTLP/gRPC receiver's address like"
              + " \"127.0.0.1:4317\" or \"otel-collector.internal:4317\" (no scheme, no path)");
    }
  }

  /**
   * An OTLP collector's {@code HOST:PORT}: an IPv4 address or a DNS name, a port from 1 to 65535;
   * no scheme, no path. Access logs to OTLP (issue 15) share it.
   */
  static boolean hostPort(String address) {
    int colon = address.lastIndexOf(':');
    String host = colon < 0 ? address : address.substring(0, colon);
    String port = colon < 0 ? "" : address.substring(colon + 1);
    boolean hostOk = HOST.matcher(host.toLowerCase(Locale.ROOT)).matches() && !host.isEmpty();
    boolean portOk =
        port.matches("\\d{1,5}") && Integer.parseInt(port) > 0 && Integer.parseInt(port) <= 65535;
    return hostOk && portOk;
  }
}
