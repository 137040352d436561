package dev.meshgate.compiler.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.ir.AuthzRuleIr;
import dev.meshgate.compiler.ir.PathMatchIr;
import dev.meshgate.compiler.ir.PrincipalIr;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import java.util.List;
import org.junit.jupiter.api.Test;

class RbacTest {

  @Test
  void prefixPathsStopAtSegmentBoundariesLikeRoutes() {
    List<Permission> paths = Rbac.paths(new PathMatchIr.Prefix("/items"));

    assertThat(paths)
        .extracting(p -> p.getUrlPath().getPath().getExact())
        .containsExactly("/items", "");
    assertThat(paths)
        .extracting(p -> p.getUrlPath().getPath().getPrefix())
        .containsExactly("", "/items/");
    assertThat(Rbac.paths(new PathMatchIr.Prefix("/")))
        .extracting(p -> p.getUrlPath().getPath().getPrefix())
        .containsExactly("/");
  }

  @Test
  void methodsAndPathsAreBothRequiredAndNothingMeansAny() {
    var rule =
        new AuthzRuleIr(
            "r",
            "t:1:1",
            new PrincipalIr.AnyPeer(),
            List.of("GET"),
            List.of(new PathMatchIr.Exact("/a")));
    Permission permission = Rbac.permission(rule);
    assertThat(permission.getAndRules().getRulesList()).hasSize(2);
    assertThat(permission.getAndRules().getRules(0).getHeader().getName()).isEqualTo(":method");

    var any = new AuthzRuleIr("r", "t:1:1", new PrincipalIr.AnyPeer(), List.of(), List.of());
    assertThat(Rbac.permission(any).getAny()).isTrue();
  }

  @Test
  void principalsMatchTheSpiffeIdExactly() {
    var principal =
        Rbac.principal(new PrincipalIr.Identity("spiffe://shop.example/service/orders"));
    assertThat(principal.getAuthenticated().getPrincipalName().getExact())
        .isEqualTo("spiffe://shop.example/service/orders");
    assertThat(Rbac.principal(new PrincipalIr.AnyAuthenticated()).hasAuthenticated()).isTrue();
    assertThat(Rbac.principal(new PrincipalIr.AnyPeer()).getAny()).isTrue();
  }
}
