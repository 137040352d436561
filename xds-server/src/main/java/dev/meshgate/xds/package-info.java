/**
 * The Meshgate xDS server: {@link dev.meshgate.xds.MeshgateServer}. The only place that uses
 * java-control-plane.
 *
 * <p>How it fits together: {@code PolicyReloader} compiles the policy (first at start, then on
 * every change {@code PolicyWatcher} sees) and hands it to {@code Publisher}, which alone writes
 * the java-control-plane {@code SimpleCache}, one snapshot per proxy group, keyed like {@code
 * ProxyGroup.key()}. Snapshots are versioned by content hash per resource and per type ({@code
 * TypedResources}), so nothing unchanged is re-sent, and versions survive restarts. Endpoints come
 * from a {@code ServiceCatalog} subscription per service. {@code ProxyTracker} follows the streams
 * (ACK/NACK per type) for the admin API ({@code AdminServer}: /healthz, /status, /metrics). {@code
 * NackHold} keeps a NACKed version from being re-sent until that type's version changes (the cache
 * alone would re-send it at once, forever).
 */
package dev.meshgate.xds;
