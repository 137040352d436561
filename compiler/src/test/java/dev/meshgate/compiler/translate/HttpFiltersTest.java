package dev.meshgate.compiler.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpFiltersTest {
  @Test
  void theOrderIsTheDesignedOne() {
    assertThat(HttpFilters.Slot.values())
        .containsExactly(
            HttpFilters.Slot.CUSTOM_RESPONSE,
            HttpFilters.Slot.CORS,
            HttpFilters.Slot.GRPC_WEB,
            // OIDC before JWT: the login's access token can then be verified as a JWT (issue 12).
            HttpFilters.Slot.OIDC,
            HttpFilters.Slot.JWT,
            HttpFilters.Slot.API_KEY,
            HttpFilters.Slot.BASIC_AUTH,
            HttpFilters.Slot.EXT_AUTHZ,
            HttpFilters.Slot.RBAC,
            HttpFilters.Slot.LOCAL_RATE_LIMIT,
            HttpFilters.Slot.RATE_LIMIT,
            HttpFilters.Slot.BUFFER,
            HttpFilters.Slot.FAULT,
            HttpFilters.Slot.COMPRESSOR,
            HttpFilters.Slot.GRPC_JSON,
            HttpFilters.Slot.ROUTER);
  }

  @Test
  void theRouterIsAlwaysLast() {
    List<HttpFilter> chain = HttpFilters.chain(Map.of(HttpFilters.Slot.RBAC, List.of(rbac())));
    assertThat(chain).extracting(HttpFilter::getName).containsExactly("rbac", HttpFilters.ROUTER);
  }

  @Test
  void aFilterInAnotherSlotIsRefused() {
    assertThatThrownBy(() -> HttpFilters.chain(Map.of(HttpFilters.Slot.CORS, List.of(rbac()))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("slot CORS");
  }

  private static HttpFilter rbac() {
    return HttpFilter.newBuilder()
        .setName("rbac")
        .setTypedConfig(Any.pack(RBAC.getDefaultInstance()))
        .build();
  }
}
