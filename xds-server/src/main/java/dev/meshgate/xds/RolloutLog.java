package dev.meshgate.xds;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The log lines that follow one change from the publisher to every proxy: a group's new snapshot,
 * each push to a proxy, its ACK or NACK, and the group being in sync. Every line carries the same
 * key-value pairs ({@code event}, {@code version}: the policy version, {@code group}, {@code type},
 * {@code node}, {@code type_version}: the xDS {@code version_info}), so the JSON log filtered by
 * one policy version ({@code jq 'select(.version=="…")'}) tells the whole story of that change.
 *
 * <p>Volume is what a fleet of thousands of proxies can afford at info: per-proxy pushes and ACKs
 * are debug; info has one line per group and snapshot (published) and one when every connected
 * proxy of the group has ACKed it (in sync). A NACK is a warning with Envoy's reason, once per
 * group, type and version: the same rejection from the group's other proxies is debug (the NACK
 * metrics and {@code meshgate status} count every one). Only names and versions are logged, never a
 * resource, so no secret reaches the log.
 */
final class RolloutLog {
  private static final Logger LOG = LoggerFactory.getLogger(RolloutLog.class);

  static final String EVENT = "event";
  static final String VERSION = "version";
  static final String GROUP = "group";
  static final String TYPE = "type";
  static final String NODE = "node";
  static final String TYPE_VERSION = "type_version";

  private RolloutLog() {}

  static void published(String group, TypeVersions v, String version, String trigger) {
    LoggingEventBuilder line =
        LOG.atInfo()
            .addKeyValue(EVENT, "publish")
            .addKeyValue(VERSION, version)
            .addKeyValue(GROUP, group)
            .addKeyValue("trigger", trigger)
            .addKeyValue("clusters", v.clusters())
            .addKeyValue("endpoints", v.endpoints())
            .addKeyValue("listeners", v.listeners())
            .addKeyValue("routes", v.routes());
    if (!v.secrets().isEmpty()) {
      line = line.addKeyValue("secrets", v.secrets());
    }
    line.log(
        "published {} for policy {} ({}): clusters {}, endpoints {}, listeners {}, routes {}{}",
        group,
        version,
        trigger,
        v.clusters(),
        v.endpoints(),
        v.listeners(),
        v.routes(),
        v.secrets().isEmpty() ? "" : ", secrets " + v.secrets());
  }

  static void pushed(Proxy proxy, XdsType type, String typeVersion, String version, int bytes) {
    if (!LOG.isDebugEnabled()) {
      return;
    }
    proxy(LOG.atDebug(), "push", proxy, type, typeVersion, version)
        .addKeyValue("bytes", bytes)
        .log("sent {} {} to {} ({} bytes)", type.label(), typeVersion, proxy.node(), bytes);
  }

  static void acked(Proxy proxy, XdsType type, String typeVersion, String version) {
    if (!LOG.isDebugEnabled()) {
      return;
    }
    proxy(LOG.atDebug(), "ack", proxy, type, typeVersion, version)
        .log("{} ACKed {} {}", proxy.node(), type.label(), typeVersion);
  }

  /**
   * A rejection: a warning the first time the group's proxies reject this type version, debug for
   * the others.
   */
  static void nacked(
      Proxy proxy,
      XdsType type,
      String typeVersion,
      String version,
      String message,
      boolean first) {
    LoggingEventBuilder line = first ? LOG.atWarn() : LOG.atDebug();
    proxy(line, "nack", proxy, type, typeVersion, version)
        .addKeyValue("error", message)
        .log(
            "proxy {} (group {}) rejected {} version {} of policy {}: {}",
            proxy.node(),
            proxy.group(),
            type.label(),
            typeVersion.isEmpty() ? "?" : typeVersion,
            version.isEmpty() ? "?" : version,
            message);
  }

  static void inSync(String group, String version, int proxies, Duration sincePublished) {
    LOG.atInfo()
        .addKeyValue(EVENT, "sync")
        .addKeyValue(VERSION, version)
        .addKeyValue(GROUP, group)
        .addKeyValue("proxies", proxies)
        .addKeyValue("took_ms", sincePublished.toMillis())
        .log(
            "group {} in sync: all {} connected proxies ACKed policy {} ({} ms after it was"
                + " published)",
            group,
            proxies,
            version,
            sincePublished.toMillis());
  }

  private static LoggingEventBuilder proxy(
      LoggingEventBuilder line,
      String event,
      Proxy proxy,
      XdsType type,
      String typeVersion,
      String version) {
    return line.addKeyValue(EVENT, event)
        .addKeyValue(VERSION, version)
        .addKeyValue(GROUP, proxy.group())
        .addKeyValue(TYPE, type.label())
        .addKeyValue(NODE, proxy.node())
        .addKeyValue(TYPE_VERSION, typeVersion);
  }

  /** Who a line is about. */
  record Proxy(String node, String group) {}
}
