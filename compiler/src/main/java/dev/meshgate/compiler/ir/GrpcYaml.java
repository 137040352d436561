package dev.meshgate.compiler.ir;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** The gRPC parts (issue 13) of the {@code .ir.yaml} goldens. */
final class GrpcYaml {
  private GrpcYaml() {}

  /**
   * A descriptor set is binary and can be large: the goldens show its size and digest, which change
   * exactly when its bytes do.
   */
  static void route(GrpcIr grpc, Map<String, Object> route) {
    grpc.json()
        .ifPresent(j -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("descriptor", j.file());
          m.put("descriptor-bytes", j.descriptor().size());
          m.put("descriptor-sha256", sha256(j.descriptor().toByteArray()));
          m.put("services", j.services());
          if (!j.options().isEmpty()) {
            m.put("options", j.options().stream().map(GrpcIr.Option::word).toList());
          }
          route.put("grpc-json", m);
        });
    if (grpc.web()) {
      route.put("grpc-web", true);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
