/**
 * Integration tests: real traffic through real Envoys configured by a real {@code meshgate serve}.
 *
 * <p>The harness: {@code RequiredEnvoy} (envoy-bootstrap's test-jar) finds Envoy (or skips, or
 * fails under {@code CI=true}); {@link dev.meshgate.it.MeshgateProcess} and {@link
 * dev.meshgate.it.EnvoyProcess} run the server and Envoys as child processes on free loopback ports
 * with their output in log files, which {@link dev.meshgate.it.PrintLogsOnFailure} prints when a
 * test fails; {@link dev.meshgate.it.Backend} is an upstream that echoes what it received as JSON;
 * {@link dev.meshgate.it.Policy} fills policy templates with run-time ports; {@link
 * dev.meshgate.it.GatewayStack} is one server plus one gateway Envoy, and {@link
 * dev.meshgate.it.MeshStack} one server plus a sidecar Envoy and an app per service (and gateways),
 * each started once per test class. Every test class checks after each test that Envoy rejected no
 * configuration.
 *
 * <p>Everything runs as shipped, securely: meshgate serves xDS over mutual TLS with a CA of its own
 * per server, and every Envoy's bootstrap comes from {@code meshgate bootstrap} ({@link
 * dev.meshgate.it.Bootstraps}) with its own client certificate. Only {@link
 * dev.meshgate.it.InsecureXdsIT} passes {@code --insecure-xds}. {@link dev.meshgate.it.AdsClient}
 * (a raw gRPC ADS client) and {@link dev.meshgate.it.RawClient} (a bare socket) play callers that
 * are not what they claim or have no sidecar.
 */
package dev.meshgate.it;
