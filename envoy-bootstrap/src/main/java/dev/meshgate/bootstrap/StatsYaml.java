package dev.meshgate.bootstrap;

import static dev.meshgate.bootstrap.EnvoyBootstrap.quote;

import java.util.List;

/**
 * The bootstrap's stats parts: the tags every stat carries, and the optional stats listener.
 *
 * <p>The listener is static (in the bootstrap) rather than served over xDS, as Istio does: it
 * answers before the first xDS response and while the control plane is away or the proxy's
 * configuration is NACKed, which is exactly when a scraper must still reach it; and no policy edit
 * can take the monitoring of a proxy away.
 */
final class StatsYaml {

  /** The static cluster the stats listener forwards to: the loopback admin interface. */
  static final String ADMIN_CLUSTER = "meshgate_admin";

  /** The stats listener's name and its HTTP stat prefix. */
  static final String STATS_LISTENER = "meshgate_stats";

  /** The constant tag naming the proxy's group, as the server's own metrics label it. */
  static final String GROUP_TAG = "meshgate_group";

  private StatsYaml() {}

  /**
   * Envoy's own tag extractors for what meshgate configures, by name (their regexes are Envoy's),
   * except the cluster name: Envoy's takes the first dot-separated word, so subset clusters such as
   * {@code catalog.v2} would become {@code envoy_cluster_v2_upstream_rq_total{envoy_cluster_name=
   * "catalog"}}. Ours keeps one more word unless it starts one of Envoy's per-cluster stat groups.
   * A custom extractor of the same name does not replace a default one, so the defaults are listed
   * rather than all switched on.
   */
  static final String CLUSTER_NAME_REGEX =
      "^cluster\\.(([a-z0-9][a-z0-9_-]*(?:\\.(?!(?:circuit_breakers|outlier_detection|health_check"
          + "|http1|http2|http3|zone|canary|internal|external|ssl|tls|retry|default|dns|lb)\\.)"
          + "[a-z0-9][a-z0-9_-]*)?)\\.)";

  /** The tag naming the route of a per-route stat (local rate limits: one bucket per route). */
  static final String ROUTE_TAG = "meshgate_route";

  /**
   * {@code local_rate_limit.<route>.http_local_rate_limit.rate_limited}: without this, each limited
   * route would be a metric name of its own ({@code envoy_local_rate_limit___1_http_…}); with it,
   * every route's bucket is {@code
   * envoy_local_rate_limit_http_local_rate_limit_rate_limited{meshgate_route=…}}.
   */
  static final String RATE_LIMIT_ROUTE_REGEX =
      "^local_rate_limit\\.((.+)\\.)http_local_rate_limit\\.";

  private static final List<String> ENVOY_TAGS =
      List.of(
          "envoy.listener_address",
          "envoy.http_conn_manager_prefix",
          "envoy.http_user_agent",
          "envoy.ssl_cipher",
          "envoy.response_code",
          "envoy.response_code_class",
          "envoy.virtual_host",
          "envoy.virtual_cluster",
          "envoy.route",
          "envoy.tcp_prefix",
          "envoy.local_http_ratelimit_prefix",
          "envoy.ratelimit_prefix",
          "envoy.rds_route_config",
          "envoy.rbac_prefix",
          "envoy.rbac_http_prefix",
          "envoy.rbac_policy_name",
          "envoy.fault_downstream_cluster",
          "envoy.worker_id");

  /**
   * Tags on every stat: {@code meshgate_group} (the proxy's group, as the server's own metrics
   * label it, so one query slices by gateway or service across all its proxies), the cluster name
   * and Envoy's usual tags.
   */
  static void appendStatsConfig(StringBuilder y, String group) {
    y.append("stats_config:\n");
    y.append("  use_all_default_tags: false\n");
    y.append("  stats_tags:\n");
    y.append("  - tag_name: ").append(GROUP_TAG).append('\n');
    y.append("    fixed_value: ").append(quote(group)).append('\n');
    y.append("  - tag_name: envoy.cluster_name\n");
    y.append("    regex: ").append(quote(CLUSTER_NAME_REGEX)).append('\n');
    y.append("  - tag_name: ").append(ROUTE_TAG).append('\n');
    y.append("    regex: ").append(quote(RATE_LIMIT_ROUTE_REGEX)).append('\n');
    for (String tag : ENVOY_TAGS) {
      y.append("  - tag_name: ").append(tag).append('\n');
    }
  }

  /** The admin interface as an upstream for the stats listener. */
  static void appendAdminCluster(StringBuilder y, int adminPort) {
    y.append("  - name: ").append(ADMIN_CLUSTER).append('\n');
    y.append("    type: STATIC\n");
    y.append("    connect_timeout: 1s\n");
    y.append("    load_assignment:\n");
    y.append("      cluster_name: ").append(ADMIN_CLUSTER).append('\n');
    y.append("      endpoints:\n");
    y.append("      - lb_endpoints:\n");
    y.append("        - endpoint:\n");
    y.append("            address:\n");
    y.append("              socket_address:\n");
    y.append("                address: \"127.0.0.1\"\n");
    y.append("                port_value: ").append(adminPort).append('\n');
  }

  /**
   * A listener that forwards {@code GET /stats/prometheus} and {@code GET /ready} to the admin
   * interface and answers 404 to everything else: the admin interface can stop Envoy, change its
   * runtime and dump its configuration (secrets included), so none of that is reachable here.
   */
  static void appendListener(StringBuilder y, StatsEndpoint stats) {
    y.append("  listeners:\n");
    y.append("  - name: ").append(STATS_LISTENER).append('\n');
    y.append("    address:\n");
    y.append("      socket_address:\n");
    y.append("        address: ").append(quote(stats.bindAddress())).append('\n');
    y.append("        port_value: ").append(stats.port()).append('\n');
    y.append("    filter_chains:\n");
    y.append("    - filters:\n");
    y.append("      - name: envoy.filters.network.http_connection_manager\n");
    y.append("        typed_config:\n");
    y.append(
        "          \"@type\": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager\n");
    y.append("          stat_prefix: ").append(STATS_LISTENER).append('\n');
    y.append("          route_config:\n");
    y.append("            name: ").append(STATS_LISTENER).append('\n');
    y.append("            virtual_hosts:\n");
    y.append("            - name: ").append(STATS_LISTENER).append('\n');
    y.append("              domains:\n");
    y.append("              - \"*\"\n");
    y.append("              routes:\n");
    for (String path : new String[] {StatsEndpoint.PROMETHEUS_PATH, StatsEndpoint.READY_PATH}) {
      // `path` ignores the query string, so /stats/prometheus?usedonly works; GET only, since
      // the admin interface treats POSTs as commands.
      y.append("              - match:\n");
      y.append("                  path: \"").append(path).append("\"\n");
      y.append("                  headers:\n");
      y.append("                  - name: \":method\"\n");
      y.append("                    string_match:\n");
      y.append("                      exact: GET\n");
      y.append("                route:\n");
      y.append("                  cluster: ").append(ADMIN_CLUSTER).append('\n');
    }
    y.append("              - match:\n");
    y.append("                  prefix: \"/\"\n");
    y.append("                direct_response:\n");
    y.append("                  status: 404\n");
    y.append("                  body:\n");
    y.append("                    inline_string: \"only GET ")
        .append(StatsEndpoint.PROMETHEUS_PATH)
        .append(" and ")
        .append(StatsEndpoint.READY_PATH)
        .append(" are served here\\n\"\n");
    y.append("          http_filters:\n");
    y.append("          - name: envoy.filters.http.router\n");
    y.append("            typed_config:\n");
    y.append(
        "              \"@type\": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router\n");
  }
}
