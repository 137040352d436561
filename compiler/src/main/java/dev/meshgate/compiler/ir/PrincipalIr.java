package dev.meshgate.compiler.ir;

/** Who an authorization rule is about, as the destination's sidecar sees the caller. */
public sealed interface PrincipalIr {
  /** {@code *} under {@code mtls permissive}: any peer, plaintext included. */
  record AnyPeer() implements PrincipalIr {}

  /** {@code *} under {@code mtls strict}: any peer that presented a mesh certificate. */
  record AnyAuthenticated() implements PrincipalIr {}

  /** A named service or gateway: the peer certificate's URI SAN is exactly this SPIFFE ID. */
  record Identity(String spiffeId) implements PrincipalIr {}
}
