package dev.meshgate.compiler.ir;

import java.util.LinkedHashMap;
import java.util.Map;

/** The YAML of the edge security IR (issue 12), for {@link IrYaml}. */
final class SecurityYaml {
  private SecurityYaml() {}

  static Map<String, Object> tls(TlsIr tls) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("min-version", tls.minVersion());
    if (!tls.ciphers().isEmpty()) {
      m.put("ciphers", tls.ciphers());
    }
    tls.clientCertificate()
        .ifPresent(
            c -> {
              Map<String, Object> cm = new LinkedHashMap<>();
              cm.put("required", c.required());
              cm.put("ca-file", c.caFile());
              cm.put("secret", c.secretName());
              m.put("client-certificate", cm);
            });
    return m;
  }

  static Map<String, Object> certificate(CertificateIr c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("secret", c.secretName());
    m.put("server-names", c.serverNames());
    switch (c.source()) {
      case CertificateIr.Source.Files f -> {
        m.put("chain-file", f.chainFile());
        m.put("key-file", f.keyFile());
      }
      case CertificateIr.Source.BuiltInCa b -> m.put("issued-by", "built-in-ca");
    }
    return m;
  }

  static Map<String, Object> cors(CorsIr cors) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(
        "origins",
        cors.origins().stream()
            .map(o -> Map.of(o.regex() ? "regex" : "exact", o.value()))
            .toList());
    if (!cors.methods().isEmpty()) {
      m.put("methods", cors.methods());
    }
    if (!cors.headers().isEmpty()) {
      m.put("headers", cors.headers());
    }
    if (!cors.exposeHeaders().isEmpty()) {
      m.put("expose-headers", cors.exposeHeaders());
    }
    if (cors.credentials()) {
      m.put("credentials", true);
    }
    cors.maxAge().ifPresent(d -> m.put("max-age", IrYaml.duration(d)));
    return m;
  }
}
