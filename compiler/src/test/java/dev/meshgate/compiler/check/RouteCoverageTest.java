package dev.meshgate.compiler.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The regex reading behind route shadowing: when in doubt, nothing is claimed. */
class RouteCoverageTest {

  @ParameterizedTest(name = "{0} starts with \"{1}\" (whole: {2})")
  @CsvSource(
      delimiterString = " :: ",
      value = {
        "^/api/v[0-9]+$ :: /api/v :: false",
        "/api/items :: /api/items :: true",
        "^/api/items$ :: /api/items :: true",
        "^/a\\.json$ :: /a.json :: true",
        "^/a/b? :: /a/ :: false",
        "^/a/b+ :: /a/b :: false",
        "^/a/b{2} :: /a/ :: false",
        "^/a/(x|y)$ :: /a/ :: false",
        "^/a/[|]x$ :: /a/ :: false",
        "^/a/x|/b :: '' :: false",
        "(?i)^/a :: '' :: false",
        "^/a\\d+ :: /a :: false",
      })
  void literalPrefix(String regex, String prefix, boolean whole) {
    assertThat(RouteCoverage.literalPrefix(regex))
        .isEqualTo(new RouteCoverage.RegexPrefix(prefix, whole));
  }

  @Test
  void catchAllRegexes() {
    assertThat(RouteCoverage.isCatchAllRegex("^/.*$")).isTrue();
    assertThat(RouteCoverage.isCatchAllRegex(".*")).isTrue();
    assertThat(RouteCoverage.isCatchAllRegex("/(.*)")).isTrue();
    assertThat(RouteCoverage.isCatchAllRegex("^/.+$")).isFalse();
    assertThat(RouteCoverage.isCatchAllRegex("^/.*\\$")).isFalse();
    assertThat(RouteCoverage.isCatchAllRegex("^/a.*$")).isFalse();
  }

  @Test
  void prefixCoversOnSegmentBoundaries() {
    var api = literal("/api/**");
    assertThat(RouteCoverage.pathCovers(api, literal("/api"))).isTrue();
    assertThat(RouteCoverage.pathCovers(api, literal("/api/"))).isTrue();
    assertThat(RouteCoverage.pathCovers(api, literal("/apix"))).isFalse();
    assertThat(RouteCoverage.pathCovers(api, literal("/apix/**"))).isFalse();
    assertThat(RouteCoverage.pathCovers(api, new RouteCoverage.Path.Regex("^/api$"))).isTrue();
    assertThat(RouteCoverage.pathCovers(api, new RouteCoverage.Path.Regex("^/api.*$"))).isFalse();
    assertThat(RouteCoverage.pathCovers(literal("/api"), literal("/api/**"))).isFalse();
    assertThat(RouteCoverage.pathCovers(literal("/**"), new RouteCoverage.Path.Regex("x|y")))
        .isTrue();
  }

  /** A path written in a route: these tests use only valid ones. */
  private static RouteCoverage.Path literal(String text) {
    return RouteCoverage.Path.literal(text).orElseThrow();
  }
}
