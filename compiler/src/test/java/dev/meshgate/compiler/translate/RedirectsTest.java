package dev.meshgate.compiler.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshgate.compiler.ir.RouteActionIr.Redirect;
import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.RedirectAction.RedirectResponseCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedirectsTest {

  @Test
  void pathLocationReplacesOnlyThePath() {
    RedirectAction action = Redirects.action(new Redirect(301, "/new/"));
    assertThat(action.getPathRedirect()).isEqualTo("/new/");
    assertThat(action.getSchemeRewriteSpecifierCase())
        .isEqualTo(RedirectAction.SchemeRewriteSpecifierCase.SCHEMEREWRITESPECIFIER_NOT_SET);
    assertThat(action.getHostRedirect()).isEmpty();
    assertThat(action.getResponseCode()).isEqualTo(RedirectResponseCode.MOVED_PERMANENTLY);
  }

  @Test
  void urlLocationSetsSchemeHostPortAndPathWithQuery() {
    RedirectAction action =
        Redirects.action(new Redirect(308, "https://www.shop.example:8443/there?x=1"));
    assertThat(action.getSchemeRedirect()).isEqualTo("https");
    assertThat(action.getHostRedirect()).isEqualTo("www.shop.example");
    assertThat(action.getPortRedirect()).isEqualTo(8443);
    assertThat(action.getPathRedirect()).isEqualTo("/there?x=1");
    assertThat(action.getResponseCode()).isEqualTo(RedirectResponseCode.PERMANENT_REDIRECT);
  }

  @Test
  void urlWithoutPathGoesToTheRoot() {
    RedirectAction action = Redirects.action(new Redirect(302, "http://shop.example"));
    assertThat(action.getSchemeRedirect()).isEqualTo("http");
    assertThat(action.getPortRedirect()).isZero();
    assertThat(action.getPathRedirect()).isEqualTo("/");
  }

  @ParameterizedTest
  @CsvSource({
    "301, MOVED_PERMANENTLY",
    "302, FOUND",
    "303, SEE_OTHER",
    "307, TEMPORARY_REDIRECT",
    "308, PERMANENT_REDIRECT"
  })
  void statusCodes(int status, RedirectResponseCode code) {
    assertThat(Redirects.responseCode(status)).isEqualTo(code);
  }

  @Test
  void otherStatusIsACompilerBug() {
    assertThatThrownBy(() -> Redirects.responseCode(200))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
