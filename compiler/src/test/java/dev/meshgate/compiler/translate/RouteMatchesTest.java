package dev.meshgate.compiler.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.ir.PathMatchIr;
import dev.meshgate.compiler.ir.RouteMatchIr;
import dev.meshgate.compiler.ir.ValueMatchIr;
import dev.meshgate.compiler.ir.ValueMatchIr.Kind;
import dev.meshgate.compiler.testing.HandBuiltIr;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteMatchesTest {

  @Test
  void exactPathIsPath() {
    RouteMatch match = RouteMatches.match(HandBuiltIr.path(new PathMatchIr.Exact("/healthz")));
    assertThat(match.getPathSpecifierCase()).isEqualTo(RouteMatch.PathSpecifierCase.PATH);
    assertThat(match.getPath()).isEqualTo("/healthz");
  }

  @Test
  void catchAllIsPlainPrefixSlash() {
    RouteMatch match = RouteMatches.match(HandBuiltIr.path(new PathMatchIr.Prefix("/")));
    assertThat(match.getPathSpecifierCase()).isEqualTo(RouteMatch.PathSpecifierCase.PREFIX);
    assertThat(match.getPrefix()).isEqualTo("/");
  }

  @Test
  void subtreeIsPathSeparatedPrefixWithoutTrailingSlash() {
    assertThat(
            RouteMatches.match(HandBuiltIr.path(new PathMatchIr.Prefix("/api")))
                .getPathSeparatedPrefix())
        .isEqualTo("/api");
    // Envoy rejects a path_separated_prefix ending in "/": whichever form lowering hands over.
    assertThat(
            RouteMatches.match(HandBuiltIr.path(new PathMatchIr.Prefix("/api/v1/")))
                .getPathSeparatedPrefix())
        .isEqualTo("/api/v1");
  }

  @Test
  @SuppressWarnings("deprecation") // checks the deprecated field stays unset
  void regexPathIsSafeRegexWithoutDeprecatedEngineField() {
    RouteMatch match =
        RouteMatches.match(HandBuiltIr.path(new PathMatchIr.Regex("^/v[0-9]+/items$")));
    assertThat(match.getSafeRegex().getRegex()).isEqualTo("^/v[0-9]+/items$");
    assertThat(match.getSafeRegex().hasGoogleRe2()).isFalse();
  }

  @Test
  void oneMethodIsExactMatchOnMethodPseudoHeader() {
    RouteMatch match =
        RouteMatches.match(
            new RouteMatchIr(new PathMatchIr.Prefix("/"), List.of("GET"), List.of(), List.of()));
    assertThat(match.getHeadersList()).hasSize(1);
    assertThat(match.getHeaders(0).getName()).isEqualTo(":method");
    assertThat(match.getHeaders(0).getStringMatch().getExact()).isEqualTo("GET");
  }

  @Test
  void severalMethodsAreOneAnchoredAlternation() {
    RouteMatch match =
        RouteMatches.match(
            new RouteMatchIr(
                new PathMatchIr.Prefix("/"), List.of("GET", "POST"), List.of(), List.of()));
    assertThat(match.getHeaders(0).getStringMatch().getSafeRegex().getRegex())
        .isEqualTo("^(GET|POST)$");
  }

  @Test
  void headerAndQueryConditions() {
    RouteMatch match =
        RouteMatches.match(
            new RouteMatchIr(
                new PathMatchIr.Exact("/search"),
                List.of(),
                List.of(
                    new ValueMatchIr("X-Canary", Kind.EXACT, "true"),
                    new ValueMatchIr("x-beta", Kind.REGEX, "^1$")),
                List.of(
                    new ValueMatchIr("Q", Kind.REGEX, "^[a-z]+$"),
                    new ValueMatchIr("lang", Kind.EXACT, "en"))));
    assertThat(match.getHeaders(0).getName()).isEqualTo("x-canary");
    assertThat(match.getHeaders(0).getStringMatch().getExact()).isEqualTo("true");
    assertThat(match.getHeaders(1).getStringMatch().getSafeRegex().getRegex()).isEqualTo("^1$");
    assertThat(match.getQueryParameters(0).getName()).isEqualTo("Q");
    assertThat(match.getQueryParameters(0).getStringMatch().getSafeRegex().getRegex())
        .isEqualTo("^[a-z]+$");
    assertThat(match.getQueryParameters(1).getStringMatch().getExact()).isEqualTo("en");
  }
}
