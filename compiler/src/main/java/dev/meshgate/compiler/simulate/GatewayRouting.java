package dev.meshgate.compiler.simulate;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.meshgate.compiler.ProxyResources;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Envoy's HTTP routing over one proxy group's resources: listener → connection manager → route
 * table → virtual host (by domain) → first matching route → its action.
 */
final class GatewayRouting {
  /** The ext_authz filters' name prefix (one filter per service: translate/ExtAuthz). */
  private static final String EXT_AUTHZ = "envoy.filters.http.ext_authz/";

  static final String HCM = "envoy.filters.network.http_connection_manager";

  private GatewayRouting() {}

  /** The connection manager of a listener's filter chain, if it has one. */
  static Optional<HttpConnectionManager> connectionManager(FilterChain chain) {
    for (Filter filter : chain.getFiltersList()) {
      if (filter.hasTypedConfig() && filter.getTypedConfig().is(HttpConnectionManager.class)) {
        return Optional.of(unpack(filter.getTypedConfig(), HttpConnectionManager.class));
      }
    }
    return Optional.empty();
  }

  static <T extends com.google.protobuf.Message> T unpack(Any any, Class<T> type) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(
          "cannot read " + type.getSimpleName() + " from the compiled config", e);
    }
  }

  /** The route table a connection manager uses: inline, or by RDS name from the group's routes. */
  static Optional<RouteConfiguration> routeTable(HttpConnectionManager hcm, ProxyResources group) {
    if (hcm.hasRouteConfig()) {
      return Optional.of(hcm.getRouteConfig());
    }
    String name = hcm.getRds().getRouteConfigName();
    return group.routes().stream().filter(r -> r.getName().equals(name)).findFirst();
  }

  static Simulation simulate(
      ProxyResources group, TestRequest.ViaGateway request, Origins origins) {
    return simulate(group, request, 1, origins);
  }

  /** The last of {@code burst} such requests sent at once (1: a single request). */
  static Simulation simulate(
      ProxyResources group, TestRequest.ViaGateway request, int burst, Origins origins) {
    List<String> notes = new ArrayList<>();
    Optional<Listener> listener = group.listeners().stream().findFirst();
    Optional<HttpConnectionManager> hcm =
        listener
            .flatMap(l -> l.getFilterChainsList().stream().findFirst())
            .flatMap(GatewayRouting::connectionManager);
    if (hcm.isEmpty()) {
      return new Simulation(
          new SimulatedOutcome.NotFound("gateway " + request.gateway() + " has no HTTP listener"),
          Optional.empty(),
          notes);
    }
    HttpConnectionManager manager = hcm.get();
    Optional<RouteConfiguration> table = routeTable(manager, group);
    if (table.isEmpty()) {
      return new Simulation(
          new SimulatedOutcome.NotFound("gateway " + request.gateway() + " has no route table"),
          Optional.empty(),
          notes);
    }
    String path =
        Paths.normalize(
            request.path(), manager.getNormalizePath().getValue(), manager.getMergeSlashes());
    if (manager.getHttpFiltersList().stream()
        .anyMatch(f ->
            !f.getName().equals("envoy.filters.http.router")
                && !JwtAuthn.understood(f)
                && !f.getName().startsWith(EXT_AUTHZ)
                && !ApiKeyAuthn.understood(f)
                && !BasicAuthn.understood(f)
                && !LocalRateLimits.understood(f))) {
      notes.add(
          "the gateway runs HTTP filters besides the router; the simulator judges routing only");
    }
    // external authorization (issue 12): the service's answer cannot be known here.
    if (manager.getHttpFiltersList().stream().anyMatch(f -> f.getName().startsWith(EXT_AUTHZ))) {
      notes.add(
          "external authorization is not simulated: a route an ext-authz service decides is"
              + " judged as if the service allowed");
    }
    // gRPC transcoding (issue 13): Envoy keeps the route the request matched as the client sent it
    // (match_incoming_request_route), which is what is simulated; the gRPC answer is not.
    if (manager.getHttpFiltersList().stream()
        .anyMatch(f -> f.getName().startsWith("envoy.filters.http.grpc_json_transcoder"))) {
      notes.add(
          "gRPC-JSON transcoding is not simulated: a grpc-json route is judged on the request as"
              + " the client sent it; which method answers, and a 404 for a method the descriptor"
              + " lacks, are Envoy's");
    }
    return route(
        table.get(),
        request,
        path,
        manager.getStripAnyHostPort() || table.get().getIgnorePortInHostMatching(),
        request.gateway(),
        origins,
        notes,
        JwtAuthn.of(manager), // jwt (issue 12)
        burst);
  }

  static Simulation route(
      RouteConfiguration table,
      TestRequest.ViaGateway request,
      String path,
      boolean stripPort,
      String gateway,
      Origins origins,
      List<String> notes,
      JwtAuthn jwt,
      int burst) {
    List<List<String>> domains =
        table.getVirtualHostsList().stream()
            .map(VirtualHost::getDomainsList)
            .map(List::copyOf)
            .toList();
    Optional<Integer> index = VirtualHosts.select(domains, request.host(), stripPort);
    if (index.isEmpty()) {
      return new Simulation(
          new SimulatedOutcome.NotFound("no virtual host serves host \"" + request.host() + "\""),
          Optional.of(
              new Decider(
                  "no host of gateway " + gateway + " matches \"" + request.host() + "\"",
                  Optional.empty())),
          notes);
    }
    VirtualHost host = table.getVirtualHosts(index.get());
    Map<String, String> headers = new LinkedHashMap<>(request.headerMap());
    headers.put(":method", request.method());
    headers.put(":path", path + TestRequest.queryString(request.query()));
    headers.put(":authority", request.host());
    headers.put(":scheme", "http");
    for (Route route : host.getRoutesList()) {
      if (matches(route.getMatch(), path, headers, request.query())) {
        Decider decider =
            new Decider("route " + route.getName(), origins.route(gateway, route.getName()));
        return new Simulation(
            action(route, host, table, request, path, headers, jwt, burst, notes),
            Optional.of(decider),
            notes);
      }
    }
    return new Simulation(
        new SimulatedOutcome.NotFound("no route of host \"" + host.getName() + "\" matches"),
        Optional.of(
            new Decider("no route of host \"" + host.getName() + "\" matches", Optional.empty())),
        notes);
  }

  static boolean matches(
      RouteMatch match, String path, Map<String, String> headers, List<TestRequest.Param> query) {
    boolean caseSensitive = !match.hasCaseSensitive() || match.getCaseSensitive().getValue();
    String p = caseSensitive ? path : path.toLowerCase(Locale.ROOT);
    boolean pathOk =
        switch (match.getPathSpecifierCase()) {
          case PREFIX -> p.startsWith(fold(match.getPrefix(), caseSensitive));
          case PATH -> p.equals(fold(match.getPath(), caseSensitive));
          case SAFE_REGEX -> Matchers.fullMatch(match.getSafeRegex().getRegex(), path);
          case PATH_SEPARATED_PREFIX -> {
            String prefix = fold(match.getPathSeparatedPrefix(), caseSensitive);
            yield p.equals(prefix) || p.startsWith(prefix + "/");
          }
          default -> false; // CONNECT and extension matchers: Meshgate generates neither
        };
    if (!pathOk) {
      return false;
    }
    for (HeaderMatcher header : match.getHeadersList()) {
      if (!Matchers.header(header, headers)) {
        return false;
      }
    }
    for (QueryParameterMatcher parameter : match.getQueryParametersList()) {
      if (!Matchers.query(parameter, query)) {
        return false;
      }
    }
    return true;
  }

  private static String fold(String s, boolean caseSensitive) {
    return caseSensitive ? s : s.toLowerCase(Locale.ROOT);
  }

  private static SimulatedOutcome action(
      Route route,
      VirtualHost host,
      RouteConfiguration table,
      TestRequest.ViaGateway request,
      String path,
      Map<String, String> matchedHeaders,
      JwtAuthn jwt,
      int burst,
      List<String> notes) {
    // jwt (issue 12): authentication and claim rules answer before anything below.
    Optional<SimulatedOutcome> refused = jwt.judge(route, request);
    if (refused.isPresent()) {
      return refused.get();
    }
    // api keys (issue 12): after JWT, as in the filter chain.
    Optional<SimulatedOutcome> noKey = ApiKeyAuthn.judge(route, request);
    if (noKey.isPresent()) {
      return noKey.get();
    }
    Optional<SimulatedOutcome> noUser = BasicAuthn.judge(route, request); // basic auth, after keys
    if (noUser.isPresent()) {
      return noUser.get();
    }
    Map<String, String> requestHeaders = new LinkedHashMap<>(matchedHeaders);
    requestHeaders.putAll(jwt.claimHeaders(route, request));
    requestHeaders.putAll(ApiKeyAuthn.clientHeader(route, request));
    requestHeaders.putAll(BasicAuthn.clientHeader(route, request));
    Map<String, String> response = new LinkedHashMap<>();
    // Route first, then virtual host, then route table: the least specific level writes last.
    mutate(response, route.getResponseHeadersToRemoveList(), route.getResponseHeadersToAddList());
    mutate(response, host.getResponseHeadersToRemoveList(), host.getResponseHeadersToAddList());
    mutate(response, table.getResponseHeadersToRemoveList(), table.getResponseHeadersToAddList());
    // local rate limits (issue 13): after authentication, before the fault filter.
    Optional<SimulatedOutcome> limited =
        LocalRateLimits.judge(route, host, request, burst, response, notes);
    if (limited.isPresent()) {
      return limited.get();
    }
    Optional<Integer> aborted = FaultAborts.status(route, requestHeaders);
    if (aborted.isPresent()) {
      // The fault filter answers before the router, but the connection manager finalizes every
      // response of a routed request, a filter's local reply too: all three levels' response
      // header changes apply (found by SimulatorDifferentialIT, seen on a real Envoy).
      return new SimulatedOutcome.Aborted(aborted.get(), response);
    }
    return switch (route.getActionCase()) {
      case ROUTE -> forward(route, host, table, request, path, requestHeaders, response);
      case REDIRECT ->
          new SimulatedOutcome.Redirected(
              redirectStatus(route.getRedirect()),
              location(route.getRedirect(), request, path),
              response);
      case DIRECT_RESPONSE ->
          new SimulatedOutcome.DirectResponse(
              route.getDirectResponse().getStatus(),
              route.getDirectResponse().getBody().getInlineString(),
              response);
      default ->
          new SimulatedOutcome.NotFound(
              "route " + route.getName() + " has an action the simulator does not know");
    };
  }

  private static SimulatedOutcome forward(
      Route route,
      VirtualHost host,
      RouteConfiguration table,
      TestRequest.ViaGateway request,
      String path,
      Map<String, String> requestHeaders,
      Map<String, String> response) {
    RouteAction action = route.getRoute();
    List<ExpectedOutcome.Share> shares = new ArrayList<>();
    switch (action.getClusterSpecifierCase()) {
      case CLUSTER -> shares.add(new ExpectedOutcome.Share(action.getCluster(), 100));
      case WEIGHTED_CLUSTERS -> {
        WeightedCluster split = action.getWeightedClusters();
        long total =
            split.getClustersList().stream().mapToLong(c -> c.getWeight().getValue()).sum();
        for (WeightedCluster.ClusterWeight c : split.getClustersList()) {
          if (c.getWeight().getValue() > 0) {
            shares.add(
                new ExpectedOutcome.Share(
                    c.getName(), total == 0 ? 0 : 100.0 * c.getWeight().getValue() / total));
          }
        }
      }
      default -> {}
    }
    Map<String, String> upstream = new LinkedHashMap<>();
    requestHeaders.forEach((k, v) -> {
      if (!k.startsWith(":")) {
        upstream.put(k, v);
      }
    });
    mutate(upstream, route.getRequestHeadersToRemoveList(), route.getRequestHeadersToAddList());
    mutate(upstream, host.getRequestHeadersToRemoveList(), host.getRequestHeadersToAddList());
    mutate(upstream, table.getRequestHeadersToRemoveList(), table.getRequestHeadersToAddList());
    // Envoy sends the request's :authority as Host, port and case kept, unless the route rewrites
    // it. With auto_host_rewrite it is the hostname of the endpoint Envoy picks, which depends on
    // discovery and balancing: the simulator leaves Host out rather than guess.
    if (!action.getAutoHostRewrite().getValue()) {
      upstream.put(
          "host",
          action.getHostRewriteLiteral().isEmpty()
              ? request.host()
              : action.getHostRewriteLiteral());
    }
    String upstreamPath = path;
    if (action.hasRegexRewrite()) {
      upstreamPath = regexRewrite(action.getRegexRewrite(), path);
    } else if (!action.getPrefixRewrite().isEmpty()) {
      String matched =
          switch (route.getMatch().getPathSpecifierCase()) {
            case PREFIX -> route.getMatch().getPrefix();
            case PATH_SEPARATED_PREFIX -> route.getMatch().getPathSeparatedPrefix();
            case PATH -> route.getMatch().getPath();
            default -> "";
          };
      if (path.startsWith(matched)) {
        upstreamPath = action.getPrefixRewrite() + path.substring(matched.length());
      }
    }
    List<ExpectedOutcome.Share> mirrors = new ArrayList<>();
    for (RouteAction.RequestMirrorPolicy mirror : action.getRequestMirrorPoliciesList()) {
      mirrors.add(new ExpectedOutcome.Share(mirror.getCluster(), mirrorPercent(mirror)));
    }
    return new SimulatedOutcome.Forwarded(
        shares,
        upstreamPath + TestRequest.queryString(request.query()),
        upstream,
        response,
        mirrors);
  }

  /** The share a mirror copies: its runtime fraction's default, or every request without one. */
  static double mirrorPercent(RouteAction.RequestMirrorPolicy mirror) {
    if (!mirror.hasRuntimeFraction()) {
      return 100;
    }
    var fraction = mirror.getRuntimeFraction().getDefaultValue();
    double per =
        switch (fraction.getDenominator()) {
          case TEN_THOUSAND -> 10_000;
          case MILLION -> 1_000_000;
          default -> 100;
        };
    return Math.min(100, 100.0 * fraction.getNumerator() / per);
  }

  /** Envoy applies removals first, then additions, per level. */
  private static void mutate(
      Map<String, String> headers, List<String> remove, List<HeaderValueOption> add) {
    remove.forEach(name -> headers.remove(name.toLowerCase(Locale.ROOT)));
    for (HeaderValueOption option : add) {
      String name = option.getHeader().getKey().toLowerCase(Locale.ROOT);
      String value = option.getHeader().getValue();
      HeaderValueOption.HeaderAppendAction append =
          option.hasAppend()
              ? (option.getAppend().getValue()
                  ? HeaderValueOption.HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD
                  : HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)
              : option.getAppendAction();
      switch (append) {
        case OVERWRITE_IF_EXISTS_OR_ADD -> headers.put(name, value);
        case ADD_IF_ABSENT -> headers.putIfAbsent(name, value);
        case OVERWRITE_IF_EXISTS -> headers.computeIfPresent(name, (k, v) -> value);
        default -> headers.merge(name, value, (a, b) -> a + "," + b);
      }
    }
  }

  /** RE2's {@code GlobalReplace} with "\1"-style group references, via RE2/J. */
  static String regexRewrite(RegexMatchAndSubstitute rewrite, String path) {
    Matcher m;
    try {
      m = Pattern.compile(rewrite.getPattern().getRegex()).matcher(path);
    } catch (com.google.re2j.PatternSyntaxException e) {
      return path;
    }
    String substitution = rewrite.getSubstitution();
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      StringBuilder replacement = new StringBuilder();
      for (int i = 0; i < substitution.length(); i++) {
        char c = substitution.charAt(i);
        if (c == '\\' && i + 1 < substitution.length()) {
          char next = substitution.charAt(++i);
          if (Character.isDigit(next)) {
            String group = m.group(next - '0');
            replacement.append(group == null ? "" : group);
          } else {
            replacement.append(next);
          }
        } else {
          replacement.append(c);
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement.toString()));
      if (m.end() == m.start() && m.end() >= path.length()) {
        break;
      }
    }
    m.appendTail(out);
    return out.toString();
  }

  private static int redirectStatus(RedirectAction redirect) {
    return switch (redirect.getResponseCode()) {
      case MOVED_PERMANENTLY -> 301;
      case FOUND -> 302;
      case SEE_OTHER -> 303;
      case TEMPORARY_REDIRECT -> 307;
      case PERMANENT_REDIRECT -> 308;
      default -> 301;
    };
  }

  /**
   * The Location Envoy sends: scheme and host from the redirect or the request, a port only when
   * the redirect names one (or keeps the request's host), the new path, and the request's query
   * unless the new path has its own or {@code strip_query} is on.
   */
  static String location(RedirectAction redirect, TestRequest.ViaGateway request, String path) {
    String scheme =
        redirect.getHttpsRedirect()
            ? "https"
            : redirect.getSchemeRedirect().isEmpty() ? "http" : redirect.getSchemeRedirect();
    String host =
        redirect.getHostRedirect().isEmpty() ? request.host() : redirect.getHostRedirect();
    int colon = host.lastIndexOf(':');
    if (redirect.getHostRedirect().isEmpty() && colon > 0) {
      // Envoy keeps the client's port unless a port is named, or the scheme changes away from
      // the one whose default port the client wrote (http://a:80 → https://a).
      boolean drop =
          redirect.getPortRedirect() > 0
              || (!scheme.equals("http") && host.substring(colon).equals(":80"));
      if (drop) {
        host = host.substring(0, colon);
      }
    }
    String port = redirect.getPortRedirect() > 0 ? ":" + redirect.getPortRedirect() : "";
    String newPath =
        switch (redirect.getPathRewriteSpecifierCase()) {
          case PATH_REDIRECT -> redirect.getPathRedirect();
          case PREFIX_REWRITE ->
              redirect.getPrefixRewrite() + path; // approximate: Meshgate never emits it
          case REGEX_REWRITE -> regexRewrite(redirect.getRegexRewrite(), path);
          default -> path;
        };
    String query = TestRequest.queryString(request.query());
    if (!newPath.contains("?") && !redirect.getStripQuery()) {
      newPath = newPath + query;
    }
    return scheme + "://" + host + port + newPath;
  }
}
