package dev.meshgate.compiler.ir;

/** What a service speaks; decides the cluster's HTTP protocol options. */
public enum Protocol {
  HTTP,
  HTTP2,
  GRPC,
  TCP
}
