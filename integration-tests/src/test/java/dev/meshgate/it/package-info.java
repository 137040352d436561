/**
 * Integration tests: real traffic through real Envoys configured by a real {@code meshgate
 * serve}.
 *
 * <p>The harness: {@link dev.meshgate.it.EnvoyBinary} finds Envoy (or skips, or fails under
 * {@code CI=true}); {@link dev.meshgate.it.MeshgateProcess} and {@link
 * dev.meshgate.it.EnvoyProcess} run the server and Envoys as child processes on free loopback
 * ports with their output in log files, which {@link dev.meshgate.it.PrintLogsOnFailure}
 * prints when a test fails; {@link dev.meshgate.it.Backend} is an upstream that echoes what it
 * received as JSON; {@link dev.meshgate.it.Policy} fills policy templates with run-time ports;
 * {@link dev.meshgate.it.GatewayStack} is one server plus one gateway Envoy, started once per
 * test class. Every test class checks after each test that Envoy rejected no configuration.
 */
package dev.meshgate.it;
