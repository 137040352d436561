package dev.meshgate.compiler.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.ir.RouteActionIr.Respond;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import org.junit.jupiter.api.Test;

class DirectResponsesTest {

  @Test
  void statusAndInlineBody() {
    DirectResponseAction action = DirectResponses.action(new Respond(200, "ok"));
    assertThat(action.getStatus()).isEqualTo(200);
    assertThat(action.getBody().getInlineString()).isEqualTo("ok");
  }

  @Test
  void emptyBodyIsNoBody() {
    DirectResponseAction action = DirectResponses.action(new Respond(204, ""));
    assertThat(action.getStatus()).isEqualTo(204);
    assertThat(action.hasBody()).isFalse();
  }
}
