package dev.meshgate.compiler.ir;

import java.util.List;

/**
 * A certificate a gateway's TLS listeners present to clients whose SNI is one of {@code
 * serverNames} ({@code "*"}: every other client), served over SDS as {@code secretName}. The
 * compiled output names where it comes from, never its content.
 */
public record CertificateIr(String secretName, List<String> serverNames, Source source) {
  public CertificateIr {
    serverNames = List.copyOf(serverNames);
  }

  /** Where the server gets the certificate chain and its key. */
  public sealed interface Source {
    /** PEM files, read (and re-read when they change) by the server. */
    record Files(String chainFile, String keyFile) implements Source {}

    /** Issued by the server's built-in CA for {@code serverNames}, for development. */
    record BuiltInCa() implements Source {}
  }

  /** Whether this certificate answers a client asking for {@code host}. */
  public boolean covers(String host) {
    for (String name : serverNames) {
      if (name.equals("*") || name.equals(host)) {
        return true;
      }
      if (name.startsWith("*.")
          && host.endsWith(name.substring(1))
          && host.indexOf('.') == host.length() - name.length() + 1) {
        return true;
      }
    }
    return false;
  }
}
