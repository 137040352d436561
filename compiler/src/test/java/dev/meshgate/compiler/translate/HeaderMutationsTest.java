package dev.meshgate.compiler.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.ir.HeaderMutationIr;
import dev.meshgate.compiler.ir.HeaderMutationIr.Direction;
import dev.meshgate.compiler.testing.HandBuiltIr;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption.HeaderAppendAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderMutationsTest {

  @Test
  @SuppressWarnings("deprecation") // checks the deprecated `append` stays unset
  void setOverwritesAndRemoveRemovesOnEachSide() {
    Route.Builder route = Route.newBuilder();
    HeaderMutations.apply(
        List.of(
            new HeaderMutationIr.Set(Direction.REQUEST, "X-Via", "edge"),
            new HeaderMutationIr.Set(Direction.RESPONSE, "x-served-by", "meshgate"),
            new HeaderMutationIr.Remove(Direction.REQUEST, "x-debug"),
            new HeaderMutationIr.Remove(Direction.RESPONSE, "Server")),
        route);
    assertThat(route.getRequestHeadersToAddList())
        .singleElement()
        .satisfies(
            option -> {
              assertThat(option.getHeader().getKey()).isEqualTo("x-via");
              assertThat(option.getHeader().getValue()).isEqualTo("edge");
              assertThat(option.getAppendAction())
                  .isEqualTo(HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD);
              assertThat(option.hasAppend()).isFalse(); // the deprecated bool stays unset
            });
    assertThat(route.getResponseHeadersToAddList())
        .singleElement()
        .satisfies(option -> assertThat(option.getHeader().getKey()).isEqualTo("x-served-by"));
    assertThat(route.getRequestHeadersToRemoveList()).containsExactly("x-debug");
    assertThat(route.getResponseHeadersToRemoveList()).containsExactly("server");
  }

  @Test
  void appliesToEveryKindOfRoute() {
    var route =
        RouteConfigurations.route(
            HandBuiltIr.route(
                "h/0",
                HandBuiltIr.path(new dev.meshgate.compiler.ir.PathMatchIr.Exact("/healthz")),
                new dev.meshgate.compiler.ir.RouteActionIr.Respond(200, "ok"),
                new HeaderMutationIr.Set(Direction.RESPONSE, "cache-control", "no-store")));
    assertThat(route.hasDirectResponse()).isTrue();
    assertThat(route.getResponseHeadersToAdd(0).getHeader().getKey()).isEqualTo("cache-control");
  }
}
