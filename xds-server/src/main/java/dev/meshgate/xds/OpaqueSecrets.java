package dev.meshgate.xds;

import com.google.protobuf.ByteString;
import dev.meshgate.compiler.GatewaySecret;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.GenericSecret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * oidc login (issue 12): the content of an opaque secret (an OIDC client secret, the key that signs
 * the session cookies) as an SDS generic secret. Read on every build like the TLS files, so a
 * rotated file goes out with no restart. Nothing here logs: the caller logs names and failures,
 * never content.
 */
final class OpaqueSecrets {
  private final Function<String, String> environment;

  OpaqueSecrets(Function<String, String> environment) {
    this.environment = environment;
  }

  Secret read(GatewaySecret.OpaqueSecret secret) throws IOException {
    return Secret.newBuilder()
        .setName(secret.name())
        .setGenericSecret(
            GenericSecret.newBuilder()
                .setSecret(DataSource.newBuilder().setInlineBytes(content(secret.source()))))
        .build();
  }

  private ByteString content(GatewaySecret.Source source) throws IOException {
    return switch (source) {
      case GatewaySecret.Source.File f -> {
        String text = Files.readString(Path.of(f.path()), StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) {
          throw new IllegalArgumentException(f.path() + " is empty");
        }
        yield ByteString.copyFromUtf8(text);
      }
      case GatewaySecret.Source.Env e -> {
        String value = environment.apply(e.variable());
        if (value == null || value.isBlank()) {
          throw new IllegalArgumentException(
              "environment variable " + e.variable() + " is not set");
        }
        yield ByteString.copyFromUtf8(value.strip());
      }
      case GatewaySecret.Source.Derived d -> derive(content(d.from()), d.label());
    };
  }

  /** HMAC-SHA256 of the label keyed with the base secret: the same on every replica. */
  private static ByteString derive(ByteString base, String label) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(base.toByteArray(), "HmacSHA256"));
      return ByteString.copyFrom(mac.doFinal(label.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
