package dev.meshgate.it;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
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
 * A real OTLP/gRPC trace and logs receiver ({@code opentelemetry.proto.collector.trace.v1
 * .TraceService} and {@code ….logs.v1.LogsService}) on a free loopback port: what an OpenTelemetry
 * Collector's OTLP receiver is to Envoy. It keeps every span and log record it is sent, flattened
 * with its resource's attributes ({@code service.name}). The generated OTLP classes and gRPC stubs
 * come from java-control-plane's api jar (protobuf 3 code, like the Envoy classes).
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

  /**
   * One received log record (access logs, issue 15): its body as a string (empty without one), its
   * attributes and its resource's attributes.
   */
  record ReceivedLog(String body, Map<String, String> attributes, Map<String, String> resource) {
    String service() {
      return resource.getOrDefault("service.name", "");
    }
  }

  private final Server server;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  private final List<ReceivedLog> logs = new CopyOnWriteArrayList<>();
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
            .addService(
                new LogsServiceGrpc.LogsServiceImplBase() {
                  @Override
                  public void export(
                      ExportLogsServiceRequest request,
                      StreamObserver<ExportLogsServiceResponse> response) {
                    receive(request);
                    response.onNext(ExportLogsServiceResponse.getDefaultInstance());
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

  List<ReceivedLog> logs() {
    return List.copyOf(logs);
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

  private void receive(ExportLogsServiceRequest request) {
    for (ResourceLogs rl : request.getResourceLogsList()) {
      Map<String, String> resource = attributes(rl.getResource());
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        for (LogRecord r : sl.getLogRecordsList()) {
          logs.add(
              new ReceivedLog(
                  r.getBody().getStringValue(), attributes(r.getAttributesList()), resource));
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
    return "OTLP receiver on "
        + address()
        + " ("
        + spans.size()
        + " spans, "
        + logs.size()
        + " log records)";
  }
}
