package dev.meshgate.compiler.translate;

import com.github.xds.core.v3.TypedExtensionConfig;
import com.github.xds.type.matcher.v3.Matcher;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import dev.meshgate.compiler.ir.ErrorBodyTemplate;
import dev.meshgate.compiler.ir.ErrorResponseIr;
import dev.meshgate.compiler.ir.GatewayIr;
import dev.meshgate.compiler.ir.RouteIr;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLogFilter;
import io.envoyproxy.envoy.config.accesslog.v3.ResponseFlagFilter;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.http.custom_response.v3.CustomResponse;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.LocalReplyConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.ResponseMapper;
import io.envoyproxy.envoy.extensions.http.custom_response.local_response_policy.v3.LocalResponsePolicy;
import io.envoyproxy.envoy.type.matcher.v3.HttpResponseStatusCodeClassMatchInput;
import io.envoyproxy.envoy.type.matcher.v3.HttpResponseStatusCodeMatchInput;
import java.util.List;
import java.util.Map;

/**
 * custom responses (issue 13; setting unit: {@code setting/ErrorResponses}). Two Envoy mechanisms,
 * because neither alone covers both the backend's errors and Envoy's own per route:
 *
 * <ul>
 *   <li>Envoy's custom_response filter (slot {@link HttpFilters.Slot#CUSTOM_RESPONSE}, first in the
 *       chain so it sees every response on its way out, the upstream's and every filter's local
 *       replies: 401 from jwt, 429 from rate limits, 503/504 from the router) holds no matcher of
 *       its own; each route that has error responses (its own, its host's and its gateway's,
 *       resolved by the lowering) carries them as its per-route config: a status matcher list whose
 *       first match answers with a local response policy (body format and content type, status
 *       kept). A route that answers itself ({@code respond}, {@code redirect}) carries none, so its
 *       own answer is never replaced.
 *   <li>A request no route matches has no per-route config: the gateway's own error response for
 *       404 goes into the connection manager's {@code local_reply_config}, as a mapper for Envoy's
 *       "no route" response flag ({@code NR}) only.
 * </ul>
 *
 * <p>Placeholders become command operators; a json body is a {@code json_format} (Envoy escapes
 * what it inserts), html and text bodies a {@code text_format}.
 */
final class CustomResponses {
  static final String FILTER = "envoy.filters.http.custom_response";

  private CustomResponses() {}

  /** Whether a route of the gateway has error responses. */
  static boolean used(GatewayIr gateway) {
    return gateway.hosts().stream()
        .flatMap(h -> h.routes().stream())
        .anyMatch(r -> !r.errorResponses().isEmpty());
  }

  /** The filter, matching nothing by itself: the routes say what it replaces. */
  static List<HttpFilter> filters(GatewayIr gateway) {
    if (!used(gateway)) {
      return List.of();
    }
    return List.of(
        HttpFilter.newBuilder()
            .setName(FILTER)
            .setTypedConfig(Any.pack(CustomResponse.getDefaultInstance()))
            .build());
  }

  /** A forwarding route's error responses, as the filter's per-route config. */
  static void apply(RouteIr route, Route.Builder envoy) {
    if (route.errorResponses().isEmpty() || !envoy.hasRoute()) {
      return;
    }
    Matcher.MatcherList.Builder list = Matcher.MatcherList.newBuilder();
    for (ErrorResponseIr r : route.errorResponses()) {
      list.addMatchers(
          Matcher.MatcherList.FieldMatcher.newBuilder()
              .setPredicate(
                  Matcher.MatcherList.Predicate.newBuilder()
                      .setSinglePredicate(
                          Matcher.MatcherList.Predicate.SinglePredicate.newBuilder()
                              .setInput(input(r))
                              .setValueMatch(
                                  com.github.xds.type.matcher.v3.StringMatcher.newBuilder()
                                      .setExact(r.status()))))
              .setOnMatch(
                  Matcher.OnMatch.newBuilder()
                      .setAction(
                          TypedExtensionConfig.newBuilder()
                              .setName("error-response " + r.status())
                              .setTypedConfig(
                                  Any.pack(
                                      LocalResponsePolicy.newBuilder()
                                          .setBodyFormat(format(r))
                                          // The policy formats the body only; the reply it
                                          // sends would say text/plain.
                                          .addResponseHeadersToAdd(contentType(r))
                                          .build())))));
    }
    CustomResponse config =
        CustomResponse.newBuilder()
            .setCustomResponseMatcher(Matcher.newBuilder().setMatcherList(list))
            .build();
    envoy.putTypedPerFilterConfig(FILTER, Any.pack(config));
  }

  private static HeaderValueOption contentType(ErrorResponseIr r) {
    return HeaderValueOption.newBuilder()
        .setHeader(
            HeaderValue.newBuilder().setKey("content-type").setValue(r.format().contentType()))
        .setAppendAction(HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)
        .build();
  }

  private static TypedExtensionConfig input(ErrorResponseIr r) {
    return r.statusClass()
        ? TypedExtensionConfig.newBuilder()
            .setName("status-class")
            .setTypedConfig(Any.pack(HttpResponseStatusCodeClassMatchInput.getDefaultInstance()))
            .build()
        : TypedExtensionConfig.newBuilder()
            .setName("status")
            .setTypedConfig(Any.pack(HttpResponseStatusCodeMatchInput.getDefaultInstance()))
            .build();
  }

  /**
   * The gateway's answer to a request no route matches (Envoy's 404, response flag NR); and, on a
   * gateway with error responses, the request id on every response, so a client can quote the id an
   * error body shows (an edge Envoy makes a fresh one for every outside request).
   */
  static HttpConnectionManager.Builder localReplies(
      GatewayIr gateway, HttpConnectionManager.Builder hcm) {
    if (used(gateway) || !gateway.errorResponses().isEmpty()) {
      hcm.setAlwaysSetRequestIdInResponse(true);
    }
    gateway.errorResponses().stream()
        .filter(r -> r.covers(404))
        .findFirst()
        .ifPresent(
            r ->
                hcm.setLocalReplyConfig(
                    LocalReplyConfig.newBuilder()
                        .addMappers(
                            ResponseMapper.newBuilder()
                                .setFilter(
                                    AccessLogFilter.newBuilder()
                                        .setResponseFlagFilter(
                                            ResponseFlagFilter.newBuilder().addFlags("NR")))
                                .setBodyFormatOverride(format(r)))));
    return hcm;
  }

  static SubstitutionFormatString format(ErrorResponseIr r) {
    SubstitutionFormatString.Builder format =
        SubstitutionFormatString.newBuilder().setContentType(r.format().contentType());
    if (r.format() == ErrorResponseIr.Format.JSON) {
      return format.setJsonFormat(json(r.body())).build();
    }
    return format
        .setTextFormatSource(DataSource.newBuilder().setInlineString(text(r.body())))
        .build();
  }

  /** The checked JSON object, every string value a format string. */
  private static Struct json(String body) {
    Struct.Builder parsed = Struct.newBuilder();
    try {
      JsonFormat.parser().merge(body, parsed);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("unchecked json error body", e);
    }
    return struct(parsed.build());
  }

  private static Struct struct(Struct s) {
    Struct.Builder out = Struct.newBuilder();
    for (Map.Entry<String, Value> field : s.getFieldsMap().entrySet()) {
      out.putFields(field.getKey(), value(field.getValue()));
    }
    return out.build();
  }

  private static Value value(Value v) {
    return switch (v.getKindCase()) {
      case STRING_VALUE -> Value.newBuilder().setStringValue(text(v.getStringValue())).build();
      case STRUCT_VALUE -> Value.newBuilder().setStructValue(struct(v.getStructValue())).build();
      case LIST_VALUE -> {
        ListValue.Builder list = ListValue.newBuilder();
        v.getListValue().getValuesList().forEach(x -> list.addValues(value(x)));
        yield Value.newBuilder().setListValue(list).build();
      }
      default -> v;
    };
  }

  /** Policy placeholders to command operators; every literal {@code %} escaped for Envoy. */
  static String text(String body) {
    StringBuilder out = new StringBuilder();
    for (ErrorBodyTemplate.Part part : ErrorBodyTemplate.parse(body)) {
      switch (part) {
        case ErrorBodyTemplate.Part.Text t -> out.append(t.text().replace("%", "%%"));
        case ErrorBodyTemplate.Part.Field f -> out.append(operator(f.placeholder()));
        case ErrorBodyTemplate.Part.Unknown u ->
            throw new IllegalArgumentException("unchecked placeholder %" + u.word() + "%");
      }
    }
    return out.toString();
  }

  private static String operator(ErrorBodyTemplate.Placeholder p) {
    return switch (p) {
      case STATUS -> "%RESPONSE_CODE%";
      case REQUEST_ID -> "%REQ(X-REQUEST-ID)%";
      case DETAILS -> "%RESPONSE_CODE_DETAILS%";
    };
  }
}
