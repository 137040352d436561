package dev.meshgate.compiler.ir;

/**
 * One {@code call CALLER -> CALLEE { port P }} towards a {@code tcp} service: the caller's sidecar
 * listens on {@code listen} (its outbound address, port P) and relays every connection to the
 * callee's cluster (mTLS when the callee is in the mesh). {@code origin} is the call's {@code
 * file:line:col}.
 */
public record TcpOutboundIr(String callee, AddressIr listen, String origin) {}
