package dev.meshgate.compiler.translate;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshgate.compiler.ir.AccessLogIr;
import dev.meshgate.compiler.ir.AccessLogIr.Part;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLogFilter;
import io.envoyproxy.envoy.config.accesslog.v3.AndFilter;
import io.envoyproxy.envoy.config.accesslog.v3.ComparisonFilter;
import io.envoyproxy.envoy.config.accesslog.v3.DurationFilter;
import io.envoyproxy.envoy.config.accesslog.v3.RuntimeFilter;
import io.envoyproxy.envoy.config.accesslog.v3.StatusCodeFilter;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.RuntimeUInt32;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.CommonGrpcAccessLogConfig;
import io.envoyproxy.envoy.extensions.access_loggers.open_telemetry.v3.OpenTelemetryAccessLogConfig;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StderrAccessLog;
import io.envoyproxy.envoy.extensions.access_loggers.stream.v3.StdoutAccessLog;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * access logs (issue 15): the {@code access_log} of every HTTP connection manager of a proxy. No
 * {@code access-log} in the policy: Envoy's default line on stdout, as before the statement
 * existed. Filters combine with an {@code and_filter}; their runtime keys are never set by
 * Meshgate, so the policy's values are the ones that apply.
 */
final class AccessLogs {
  static final String STDOUT = "envoy.access_loggers.stdout";
  static final String STDERR = "envoy.access_loggers.stderr";
  static final String FILE = "envoy.access_loggers.file";
  static final String OTLP = "envoy.access_loggers.open_telemetry";

  /** The {@code log_name} of OTLP access logs (Envoy adds it to the records' resource). */
  static final String OTLP_LOG_NAME = "meshgate_access_log";

  /**
   * Envoy's default text line, the body of an OTLP record when a text access-log names no fields
   * (the file and stream loggers have it built in; the OpenTelemetry logger has none).
   */
  static final String DEFAULT_LINE =
      "[%START_TIME%] \"%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%\""
          + " %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION%"
          + " %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% \"%REQ(X-FORWARDED-FOR)%\""
          + " \"%REQ(USER-AGENT)%\" \"%REQ(X-REQUEST-ID)%\" \"%REQ(:AUTHORITY)%\""
          + " \"%UPSTREAM_HOST%\"";

  /** Envoy's default line on stdout: what a proxy logs when the policy says nothing. */
  static final AccessLog DEFAULT =
      AccessLog.newBuilder()
          .setName(STDOUT)
          .setTypedConfig(Any.pack(StdoutAccessLog.getDefaultInstance()))
          .build();

  /** "Errors": responses with a status of 500 or more (Envoy's own 502, 503 and 504 included). */
  static final int ERROR_STATUS = 500;

  private AccessLogs() {}

  static AccessLog accessLog(Optional<AccessLogIr> ir) {
    if (ir.isEmpty()) {
      return DEFAULT;
    }
    AccessLogIr log = ir.get();
    Optional<SubstitutionFormatString> format = format(log);
    Message config =
        switch (log.sink()) {
          case OTLP -> otlp(log);
          case STDOUT -> {
            StdoutAccessLog.Builder b = StdoutAccessLog.newBuilder();
            format.ifPresent(b::setLogFormat);
            yield b.build();
          }
          case STDERR -> {
            StderrAccessLog.Builder b = StderrAccessLog.newBuilder();
            format.ifPresent(b::setLogFormat);
            yield b.build();
          }
          case FILE -> {
            FileAccessLog.Builder b = FileAccessLog.newBuilder().setPath(log.file().orElseThrow());
            format.ifPresent(b::setLogFormat);
            yield b.build();
          }
        };
    String name =
        switch (log.sink()) {
          case STDOUT -> STDOUT;
          case STDERR -> STDERR;
          case FILE -> FILE;
          case OTLP -> OTLP;
        };
    AccessLog.Builder out = AccessLog.newBuilder().setName(name).setTypedConfig(Any.pack(config));
    filter(log).ifPresent(out::setFilter);
    return out.build();
  }

  /**
   * OTLP/gRPC logs to the collector, through {@link AccessLogIr#OTLP_CLUSTER}: a text line is each
   * record's body, a JSON log's fields are its attributes (keys as in the JSON object); {@code
   * service.name} in the resource is the proxy's name.
   */
  private static OpenTelemetryAccessLogConfig otlp(AccessLogIr log) {
    AccessLogIr.Collector collector = log.collector().orElseThrow();
    OpenTelemetryAccessLogConfig.Builder otel =
        OpenTelemetryAccessLogConfig.newBuilder()
            .setCommonConfig(
                CommonGrpcAccessLogConfig.newBuilder()
                    .setLogName(OTLP_LOG_NAME)
                    .setTransportApiVersion(ApiVersion.V3)
                    .setGrpcService(
                        GrpcService.newBuilder()
                            .setEnvoyGrpc(
                                GrpcService.EnvoyGrpc.newBuilder()
                                    .setClusterName(AccessLogIr.OTLP_CLUSTER))
                            .setTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(1))))
            .setResourceAttributes(
                KeyValueList.newBuilder()
                    .addValues(keyValue("service.name", collector.serviceName())));
    if (log.format() == AccessLogIr.Format.JSON) {
      KeyValueList.Builder attributes = KeyValueList.newBuilder();
      for (Part p : log.parts()) {
        if (p instanceof Part.Value v) {
          attributes.addValues(keyValue(v.key(), operator(v)));
        }
      }
      otel.setAttributes(attributes);
    } else {
      StringBuilder line = new StringBuilder();
      for (Part p : log.parts()) {
        switch (p) {
          case Part.Literal l -> line.append(l.text());
          case Part.Value v -> line.append(operator(v));
        }
      }
      otel.setBody(
          AnyValue.newBuilder().setStringValue(line.isEmpty() ? DEFAULT_LINE : line.toString()));
    }
    return otel.build();
  }

  private static KeyValue keyValue(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  /** The collector cluster, when the proxy logs to OTLP. */
  static List<Cluster> clusters(Optional<AccessLogIr> log) {
    return log.flatMap(AccessLogIr::collector).stream()
        .map(c -> Tracing.collectorCluster(AccessLogIr.OTLP_CLUSTER, c.host(), c.port()))
        .toList();
  }

  private static Optional<SubstitutionFormatString> format(AccessLogIr log) {
    if (log.parts().isEmpty()) {
      return Optional.empty(); // Envoy's default line
    }
    if (log.format() == AccessLogIr.Format.JSON) {
      Struct.Builder json = Struct.newBuilder();
      for (Part p : log.parts()) {
        if (p instanceof Part.Value v) {
          json.putFields(v.key(), Value.newBuilder().setStringValue(operator(v)).build());
        }
      }
      return Optional.of(SubstitutionFormatString.newBuilder().setJsonFormat(json).build());
    }
    StringBuilder line = new StringBuilder();
    for (Part p : log.parts()) {
      switch (p) {
        case Part.Literal l -> line.append(l.text());
        case Part.Value v -> line.append(operator(v));
      }
    }
    line.append('\n');
    return Optional.of(
        SubstitutionFormatString.newBuilder()
            .setTextFormatSource(DataSource.newBuilder().setInlineString(line.toString()))
            .build());
  }

  /** The Envoy command operator of a field. */
  static String operator(Part.Value v) {
    return switch (v.field()) {
      case START_TIME -> "%START_TIME%";
      case METHOD -> "%REQ(:METHOD)%";
      // The path the client sent, before any rewrite.
      case PATH -> "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%";
      case PROTOCOL -> "%PROTOCOL%";
      case STATUS -> "%RESPONSE_CODE%";
      case RESPONSE_FLAGS -> "%RESPONSE_FLAGS%";
      case BYTES_RECEIVED -> "%BYTES_RECEIVED%";
      case BYTES_SENT -> "%BYTES_SENT%";
      case DURATION -> "%DURATION%";
      case UPSTREAM_SERVICE_TIME -> "%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%";
      case FORWARDED_FOR -> "%REQ(X-FORWARDED-FOR)%";
      case USER_AGENT -> "%REQ(USER-AGENT)%";
      case REQUEST_ID -> "%REQ(X-REQUEST-ID)%";
      case AUTHORITY -> "%REQ(:AUTHORITY)%";
      case UPSTREAM_HOST -> "%UPSTREAM_HOST%";
      case UPSTREAM_CLUSTER -> "%UPSTREAM_CLUSTER%";
      case CLIENT_ADDRESS -> "%DOWNSTREAM_REMOTE_ADDRESS%";
      case REQUEST_HEADER -> "%REQ(" + upper(v) + ")%";
      case RESPONSE_HEADER -> "%RESP(" + upper(v) + ")%";
    };
  }

  private static String upper(Part.Value v) {
    return v.header().orElseThrow().toUpperCase(Locale.ROOT);
  }

  private static Optional<AccessLogFilter> filter(AccessLogIr log) {
    List<AccessLogFilter> filters = new ArrayList<>();
    if (log.onlyErrors()) {
      filters.add(
          AccessLogFilter.newBuilder()
              .setStatusCodeFilter(
                  StatusCodeFilter.newBuilder()
                      .setComparison(atLeast(ERROR_STATUS, "meshgate.access_log.error_status")))
              .build());
    }
    log.slowerThan()
        .ifPresent(d ->
            filters.add(
                AccessLogFilter.newBuilder()
                    .setDurationFilter(
                        DurationFilter.newBuilder()
                            .setComparison(
                                atLeast(
                                    (int) Math.min(Integer.MAX_VALUE, d.toMillis()),
                                    "meshgate.access_log.min_duration_ms")))
                    .build()));
    log.samplePercent()
        .ifPresent(p ->
            filters.add(
                AccessLogFilter.newBuilder()
                    .setRuntimeFilter(
                        RuntimeFilter.newBuilder()
                            .setRuntimeKey("meshgate.access_log.sample_percent")
                            .setPercentSampled(
                                FractionalPercent.newBuilder()
                                    .setNumerator(p)
                                    .setDenominator(FractionalPercent.DenominatorType.HUNDRED))
                            // Each request is drawn on its own, not by its x-request-id (which
                            // a
                            // client may send, and so choose whether it is logged).
                            .setUseIndependentRandomness(true))
                    .build()));
    if (filters.size() <= 1) {
      return filters.stream().findFirst();
    }
    return Optional.of(
        AccessLogFilter.newBuilder()
            .setAndFilter(AndFilter.newBuilder().addAllFilters(filters))
            .build());
  }

  private static ComparisonFilter atLeast(int value, String runtimeKey) {
    return ComparisonFilter.newBuilder()
        .setOp(ComparisonFilter.Op.GE)
        .setValue(RuntimeUInt32.newBuilder().setDefaultValue(value).setRuntimeKey(runtimeKey))
        .build();
  }
}
