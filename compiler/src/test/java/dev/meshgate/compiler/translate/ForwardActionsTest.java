package dev.meshgate.compiler.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import dev.meshgate.compiler.ir.RouteActionIr.Forward;
import dev.meshgate.compiler.ir.RouteActionIr.PrefixRewriteIr;
import dev.meshgate.compiler.ir.RouteActionIr.RetryIr;
import dev.meshgate.compiler.ir.RouteActionIr.WeightedClusterIr;
import dev.meshgate.compiler.testing.HandBuiltIr;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ForwardActionsTest {

  @Test
  void singleTargetIsPlainClusterWithEnvoyDefaults() {
    RouteAction action = ForwardActions.action(HandBuiltIr.to("catalog"));
    assertThat(action.getCluster()).isEqualTo("catalog");
    assertThat(action.hasTimeout()).isFalse(); // Envoy's 15s default applies
    assertThat(action.hasRetryPolicy()).isFalse();
    assertThat(action.hasRegexRewrite()).isFalse();
  }

  @Test
  @SuppressWarnings("deprecation") // checks the deprecated field stays unset
  void splitIsWeightedClustersWithoutTotalWeight() {
    RouteAction action =
        ForwardActions.action(
            new Forward(
                List.of(
                    new WeightedClusterIr("catalog.v1", 90),
                    new WeightedClusterIr("catalog.v2", 10)),
                Optional.empty(),
                Optional.empty(),
                Optional.empty()));
    var split = action.getWeightedClusters();
    assertThat(split.hasTotalWeight()).isFalse();
    assertThat(split.getClustersList())
        .extracting(c -> c.getName() + "=" + c.getWeight().getValue())
        .containsExactly("catalog.v1=90", "catalog.v2=10");
  }

  @Test
  void timeoutRetryAndRewrite() {
    RouteAction action =
        ForwardActions.action(
            new Forward(
                List.of(new WeightedClusterIr("catalog", 100)),
                Optional.of(Duration.ofSeconds(2)),
                Optional.of(
                    new RetryIr(3, List.of("5xx", "reset"), Optional.of(Duration.ofMillis(500)))),
                Optional.of(new PrefixRewriteIr("/catalog/", "/"))));
    assertThat(action.getTimeout()).isEqualTo(Durations.fromSeconds(2));
    assertThat(action.getRetryPolicy().getRetryOn()).isEqualTo("5xx,reset");
    assertThat(action.getRetryPolicy().getNumRetries().getValue()).isEqualTo(3);
    assertThat(action.getRetryPolicy().getPerTryTimeout()).isEqualTo(Durations.fromMillis(500));
    assertThat(action.getRegexRewrite().getPattern().getRegex()).isEqualTo("^/catalog/");
    assertThat(action.getRegexRewrite().getSubstitution()).isEqualTo("/");
  }

  @Test
  void retryWithoutPerTryTimeoutLeavesItUnset() {
    RouteAction action =
        ForwardActions.action(
            new Forward(
                List.of(new WeightedClusterIr("catalog", 100)),
                Optional.empty(),
                Optional.of(new RetryIr(1, List.of("5xx"), Optional.empty())),
                Optional.empty()));
    assertThat(action.getRetryPolicy().hasPerTryTimeout()).isFalse();
  }

  @Test
  void rewriteQuotesRegexCharactersOfThePrefix() {
    String from = "/v1.0/(a)+[b]*?{c}|^$\\";
    String pattern =
        ForwardActions.action(
                new Forward(
                    List.of(new WeightedClusterIr("catalog", 100)),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(new PrefixRewriteIr(from, "/x/"))))
            .getRegexRewrite()
            .getPattern()
            .getRegex();
    // RE2 and java.util.regex agree on these escapes: the pattern matches the literal prefix only.
    assertThat(Pattern.compile(pattern).matcher(from + "rest").lookingAt()).isTrue();
    assertThat(Pattern.compile(pattern).matcher("/v1x0/(a)+[b]*?{c}|^$\\").lookingAt()).isFalse();
  }

  @Test
  void rewriteSubstitutionKeepsBackslashesLiteral() {
    assertThat(Regexes.literalSubstitution("/a\\1/")).isEqualTo("/a\\\\1/");
  }
}
