package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshgate.compiler.GatewaySecret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** oidc login (issue 12): the OIDC client secret and cookie key as SDS generic secrets. */
class OpaqueSecretsTest {
  @TempDir Path dir;

  private final OpaqueSecrets secrets = new OpaqueSecrets(Map.of("CORP_SECRET", "from-env\n")::get);

  private static String content(Secret secret) {
    return secret.getGenericSecret().getSecret().getInlineBytes().toStringUtf8();
  }

  @Test
  void aFileIsReadWithoutItsTrailingLineBreak() throws Exception {
    Path file = Files.writeString(dir.resolve("secret"), "s3cret\n");
    Secret secret =
        secrets.read(new GatewaySecret.OpaqueSecret("oidc:corp:client-secret", file("secret")));
    assertThat(secret.getName()).isEqualTo("oidc:corp:client-secret");
    assertThat(content(secret)).isEqualTo("s3cret");
    assertThat(file).exists();
  }

  @Test
  void anEnvironmentVariableIsRead() throws Exception {
    Secret secret =
        secrets.read(
            new GatewaySecret.OpaqueSecret("s", new GatewaySecret.Source.Env("CORP_SECRET")));
    assertThat(content(secret)).isEqualTo("from-env");
  }

  @Test
  void aMissingOrEmptySourceIsRefusedWithoutItsContent() throws Exception {
    Files.writeString(dir.resolve("empty"), "\n");
    assertThatThrownBy(() ->
            secrets.read(new GatewaySecret.OpaqueSecret("s", new GatewaySecret.Source.Env("NOPE"))))
        .hasMessage("environment variable NOPE is not set");
    assertThatThrownBy(() -> secrets.read(new GatewaySecret.OpaqueSecret("s", file("empty"))))
        .hasMessageEndingWith("empty is empty");
  }

  @Test
  void aDerivedKeyIsTheSameForTheSameSecretAndDiffersFromIt() throws Exception {
    Files.writeString(dir.resolve("secret"), "s3cret\n");
    GatewaySecret.Source derived = new GatewaySecret.Source.Derived(file("secret"), "label:corp");
    Secret first = secrets.read(new GatewaySecret.OpaqueSecret("k", derived));
    Secret again =
        new OpaqueSecrets(name -> null).read(new GatewaySecret.OpaqueSecret("k", derived));
    assertThat(first).isEqualTo(again);
    byte[] key = first.getGenericSecret().getSecret().getInlineBytes().toByteArray();
    assertThat(key).hasSize(32);
    assertThat(new String(key, java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("s3cret");
    Secret other =
        secrets.read(
            new GatewaySecret.OpaqueSecret(
                "k", new GatewaySecret.Source.Derived(file("secret"), "label:other")));
    assertThat(other).isNotEqualTo(first);
  }

  private GatewaySecret.Source file(String name) {
    return new GatewaySecret.Source.File(dir.resolve(name).toString());
  }
}
