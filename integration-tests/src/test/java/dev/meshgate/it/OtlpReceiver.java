package dev.meshgate.it;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real OTLP/gRPC trace receiver ({@code opentelemetry.proto.collector.trace.v1.TraceService}) on
 * a free loopback port: what an OpenTelemetry Collector's OTLP receiver is to Envoy. It keeps every
 * span it is sent, flattened with its resource's {@code service.name}. The generated OTLP classes
 * and gRPC stubs come from java-control-plane's api jar (protobuf 3 code, like the Envoy classes).
 */
final class OtlpReceiver implements AutoCloseable {
  /** One received span; ids in lower-case hex, {@code parentSpanId} empty for a root span. */
  record ReceivedSpan(
      String service,
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      int kind,
      Map<String, String> attributes) {}

  private final Server server;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  private final List<Integer> exports = new CopyOnWriteArrayList<>();

  private OtlpReceiver(int port) {
    this.server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
            .addService(
                new TraceServiceGrpc.TraceServiceImplBase() {
                  @Override
                  public void export(
                      ExportTraceServiceRequest request,
                      StreamObserver<ExportTraceServiceResponse> response) {
                    receive(request);
                    response.onNext(ExportTraceServiceResponse.getDefaultInstance());
                    response.onCompleted();
                  }
                })
            .build();
  }

  static OtlpReceiver start() {
    OtlpReceiver receiver = new OtlpReceiver(FreePorts.next());
    try {
      receiver.server.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the OTLP receiver", e);
    }
    return receiver;
  }

  /** {@code 127.0.0.1:PORT}, as a policy's {@code collector} wants it. */
  String address() {
    return "127.0.0.1:" + server.getPort();
  }

  List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  /** The spans of one trace. */
  List<ReceivedSpan> trace(String traceId) {
    return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
  }

  /** How many Export calls arrived. */
  int exports() {
    return exports.size();
  }

  private void receive(ExportTraceServiceRequest request) {
    exports.add(request.getResourceSpansCount());
    HexFormat hex = HexFormat.of();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      String service = attributes(rs.getResource()).getOrDefault("service.name", "");
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (io.opentelemetry.proto.trace.v1.Span s : ss.getSpansList()) {
          spans.add(
              new ReceivedSpan(
                  service,
                  hex.formatHex(s.getTraceId().toByteArray()),
                  hex.formatHex(s.getSpanId().toByteArray()),
                  hex.formatHex(s.getParentSpanId().toByteArray()),
                  s.getName(),
                  s.getKindValue(),
                  attributes(s.getAttributesList())));
        }
      }
    }
  }

  private static Map<String, String> attributes(Resource resource) {
    return attributes(resource.getAttributesList());
  }

  private static Map<String, String> attributes(List<KeyValue> list) {
    Map<String, String> out = new TreeMap<>();
    for (KeyValue kv : list) {
      var v = kv.getValue();
      String text =
          switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> Long.toString(v.getIntValue());
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
            default -> v.toString().strip();
          };
      out.put(kv.getKey(), text);
    }
    return out;
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "OTLP receiver on " + address() + " (" + spans.size() + " spans)";
  }
}
