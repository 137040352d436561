package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.ProxyResources;
import dev.meshgate.compiler.Source;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.api_key_auth.v3.ApiKeyAuthPerRoute;
import io.envoyproxy.envoy.extensions.filters.http.api_key_auth.v3.Credential;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * api keys (issue 12): the server reads the keys file, puts the keys into the per-route configs it
 * serves (only there), keeps the last good keys when the file turns bad, and the admin API's JSON
 * redacts them.
 */
class ApiKeyCredentialsTest {
  @TempDir Path dir;

  private PreparedGroup compiled(Path keys) {
    var compilation =
        Compiler.compile(
            List.of(
                new Source(
                    "t.mesh",
                    """
                    service api { source static 127.0.0.1:9001 }
                    gateway edge {
                      listen :8080
                      api-keys "partners" { keys file "%s" }
                      host "*" {
                        route /a { require api-key "partners" clients "acme" to api }
                        route /b { to api }
                      }
                    }
                    """
                        .formatted(keys))));
    ProxyResources edge = compilation.policy().orElseThrow().groups().getFirst();
    return PreparedGroup.of(edge);
  }

  private static ApiKeyAuthPerRoute perRoute(PreparedGroup group) throws Exception {
    RouteConfiguration routes = group.routes().byName().get("edge").resource();
    return routes
        .getVirtualHosts(0)
        .getRoutes(0)
        .getTypedPerFilterConfigOrThrow("envoy.filters.http.api_key_auth.partners")
        .unpack(ApiKeyAuthPerRoute.class);
  }

  @Test
  void servedRoutesCarryTheKeysAndCompiledOnesDoNot() throws Exception {
    Path keys =
        Files.writeString(dir.resolve("p.keys"), "# c k\nacme k-1\nacme k-2\n\nglobex k-3\n");
    PreparedGroup compiled = compiled(keys);
    RouteCredentials credentials = new RouteCredentials();

    PreparedGroup served = credentials.serve(compiled);

    assertThat(perRoute(compiled).getCredentialsList()).isEmpty();
    assertThat(perRoute(served).getCredentialsList())
        .extracting(Credential::getClient, Credential::getKey)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("acme", "k-1"),
            org.assertj.core.groups.Tuple.tuple("acme", "k-2"),
            org.assertj.core.groups.Tuple.tuple("globex", "k-3"));
    assertThat(perRoute(served).getAllowedClientsList()).containsExactly("acme");
    assertThat(credentials.serve(compiled)).as("unchanged input, same group").isSameAs(served);

    String json = ConfigJson.json(served.routes().byName().get("edge").resource()).toString();
    String redacted =
        Redaction.redact(
                XdsType.ROUTES, ConfigJson.json(served.routes().byName().get("edge").resource()))
            .toString();
    assertThat(json).contains("k-1");
    assertThat(redacted).doesNotContain("k-1").doesNotContain("k-3").contains("[redacted]");
  }

  @Test
  void aBadFileKeepsTheLastGoodKeys() throws Exception {
    Path keys = Files.writeString(dir.resolve("p.keys"), "acme k-1\n");
    PreparedGroup compiled = compiled(keys);
    RouteCredentials credentials = new RouteCredentials();
    credentials.serve(compiled);

    Files.writeString(keys, "acme k-1 extra\n");
    assertThat(perRoute(credentials.serve(compiled)).getCredentialsList())
        .extracting(Credential::getKey)
        .containsExactly("k-1");

    Files.writeString(keys, "acme k-9\n");
    assertThat(perRoute(credentials.serve(compiled)).getCredentialsList())
        .extracting(Credential::getKey)
        .containsExactly("k-9");
  }

  @Test
  void aFileNeverReadGivesNoKeysSoEveryRequestIs401() throws Exception {
    PreparedGroup served = new RouteCredentials().serve(compiled(dir.resolve("missing.keys")));
    assertThat(perRoute(served).getCredentialsList()).isEmpty();
  }

  @Test
  void malformedLinesSayWhereNeverWhat() {
    assertThatThrownBy(() -> ApiKeyCredentials.parse("/k", List.of("acme secret-1", "secret-2")))
        .hasMessage("/k line 2 is not `client key` (client: letters, digits, . _ @ -)")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> ApiKeyCredentials.parse("/k", List.of("a s-1", "b s-1")))
        .hasMessage("/k line 2 repeats a key of an earlier line");
  }
}
