package dev.meshgate.compiler.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnknownFieldSet;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * api keys (issue 12): Envoy's {@code ApiKeyAuth.forwarding} (field 3: {@code header} 1, {@code
 * hide_credentials} 2) is newer than java-control-plane's classes, so it is written as raw fields;
 * this pins the wire form Envoy reads (ApiKeyAuthIT shows Envoy acting on it).
 */
class ApiKeysTest {
  @Test
  void forwardingIsField3WithTheClientHeaderAndHiddenCredentials() throws IOException {
    UnknownFieldSet fields = ApiKeys.forwarding(3);
    assertThat(fields.asMap()).containsOnlyKeys(3);
    UnknownFieldSet forwarding =
        UnknownFieldSet.parseFrom(
            CodedInputStream.newInstance(
                fields.getField(3).getLengthDelimitedList().getFirst().toByteArray()));
    assertThat(forwarding.getField(1).getLengthDelimitedList().getFirst().toStringUtf8())
        .isEqualTo("x-meshgate-client");
    assertThat(forwarding.getField(2).getVarintList()).containsExactly(1L);
  }
}
