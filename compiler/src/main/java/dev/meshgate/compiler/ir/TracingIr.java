package dev.meshgate.compiler.ir;

import java.util.List;

/**
 * tracing (issue 15): what one proxy (a gateway, or a service's sidecars) traces: spans go over
 * OTLP/gRPC to the collector at {@code host:port}, through the cluster {@link #CLUSTER}; {@code
 * samplePercent} of the requests are traced unless a route says otherwise; {@code tags} (sorted by
 * tag name) become span tags from request headers. {@code serviceName} is the gateway's or the
 * service's name, the {@code service.name} of its spans.
 */
public record TracingIr(
    String serviceName, String host, int port, int samplePercent, List<TagIr> tags) {
  /** The cluster every proxy reaches its collector through. */
  public static final String CLUSTER = "tracing:collector";

  public TracingIr {
    tags = List.copyOf(tags);
  }

  /** {@code tag "tenant" from header "x-tenant"}; the header name lower-cased. */
  public record TagIr(String tag, String header) {}
}
