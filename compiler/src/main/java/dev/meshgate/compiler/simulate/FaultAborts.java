package dev.meshgate.compiler.simulate;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.util.Map;
import java.util.Optional;

/**
 * The one fault the simulator can know: an HTTP abort that hits every request (100%) the route
 * takes, or every one that carries the fault's header. A share below 100% or a delay changes
 * nothing the simulator reports (which requests a share hits is chance).
 */
final class FaultAborts {
  static final String FILTER = "envoy.filters.http.fault";

  /** What Envoy's fault filter answers in the body of an abort. */
  static final String BODY = "fault filter abort";

  private FaultAborts() {}

  static Optional<Integer> status(Route route, Map<String, String> requestHeaders) {
    Any config = route.getTypedPerFilterConfigMap().get(FILTER);
    if (config == null || !config.is(HTTPFault.class)) {
      return Optional.empty();
    }
    HTTPFault fault;
    try {
      fault = config.unpack(HTTPFault.class);
    } catch (InvalidProtocolBufferException e) {
      return Optional.empty();
    }
    if (!fault.hasAbort()
        || fault.getAbort().getErrorTypeCase() != FaultAbort.ErrorTypeCase.HTTP_STATUS
        || !always(fault.getAbort().getPercentage())) {
      return Optional.empty();
    }
    for (HeaderMatcher header : fault.getHeadersList()) {
      if (!Matchers.header(header, requestHeaders)) {
        return Optional.empty();
      }
    }
    return Optional.of(fault.getAbort().getHttpStatus());
  }

  private static boolean always(FractionalPercent p) {
    long denominator =
        switch (p.getDenominator()) {
          case HUNDRED -> 100;
          case TEN_THOUSAND -> 10_000;
          case MILLION -> 1_000_000;
          default -> Long.MAX_VALUE;
        };
    return p.getNumerator() >= denominator;
  }
}
