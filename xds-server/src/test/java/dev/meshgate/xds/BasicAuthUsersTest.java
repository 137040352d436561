package dev.meshgate.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.Htpasswd;
import dev.meshgate.compiler.ProxyResources;
import dev.meshgate.compiler.Source;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.basic_auth.v3.BasicAuthPerRoute;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * basic auth (issue 12): the server reads the htpasswd file, puts its users into the per-route
 * configs it serves (only there; a route with `users` gets only those), keeps the last good users
 * when the file turns bad, and the admin API's JSON redacts them.
 */
class BasicAuthUsersTest {
  private static final String ALICE = "alice:{SHA}w3QkzGJswDXW5OKZHAJw0FELjfM=";
  private static final String BOB = "bob:{SHA}9SMYoF5RilWWASry7TjeaKwmpGg=";

  @TempDir Path dir;

  private PreparedGroup compiled(Path users) {
    var compilation =
        Compiler.compile(
            List.of(
                new Source(
                    "t.mesh",
                    """
                    service api { source static 127.0.0.1:9001 }
                    gateway edge {
                      listen :8080
                      basic-auth "admins" { users file "%s" }
                      host "*" {
                        route /a { require basic-auth "admins" to api }
                        route /b { require basic-auth "admins" users "bob" to api }
                        route /c { to api }
                      }
                    }
                    """
                        .formatted(users))));
    ProxyResources edge = compilation.policy().orElseThrow().groups().getFirst();
    return PreparedGroup.of(edge);
  }

  private static String users(PreparedGroup group, int route) throws Exception {
    RouteConfiguration routes = group.routes().byName().get("edge").resource();
    return routes
        .getVirtualHosts(0)
        .getRoutes(route)
        .getTypedPerFilterConfigOrThrow("envoy.filters.http.basic_auth.admins")
        .unpack(BasicAuthPerRoute.class)
        .getUsers()
        .getInlineString();
  }

  @Test
  void servedRoutesCarryTheUsersAndCompiledOnesDoNot() throws Exception {
    Path file = Files.writeString(dir.resolve("a.htpasswd"), "# admins\n" + ALICE + "\n" + BOB);
    PreparedGroup compiled = compiled(file);
    RouteCredentials credentials = new RouteCredentials();

    PreparedGroup served = credentials.serve(compiled);

    assertThat(users(compiled, 0))
        .isEqualTo("# meshgate serve adds the users of basic-auth \"admins\"\n");
    assertThat(users(served, 0)).isEqualTo(ALICE + "\n" + BOB + "\n");
    assertThat(users(served, 1)).as("only the route's users").isEqualTo(BOB + "\n");
    assertThat(credentials.serve(compiled)).as("unchanged input, same group").isSameAs(served);

    String redacted =
        Redaction.redact(
                XdsType.ROUTES, ConfigJson.json(served.routes().byName().get("edge").resource()))
            .toString();
    assertThat(redacted).doesNotContain("{SHA}").contains("[redacted]");
  }

  @Test
  void aBadFileKeepsTheLastGoodUsers() throws Exception {
    Path file = Files.writeString(dir.resolve("a.htpasswd"), ALICE + "\n");
    PreparedGroup compiled = compiled(file);
    RouteCredentials credentials = new RouteCredentials();
    credentials.serve(compiled);

    Files.writeString(file, "alice:$apr1$abcdefgh$0123456789abcdefghijkl\n");
    assertThat(users(credentials.serve(compiled), 0)).isEqualTo(ALICE + "\n");

    Files.writeString(file, BOB + "\n");
    assertThat(users(credentials.serve(compiled), 0)).isEqualTo(BOB + "\n");
  }

  @Test
  void aFileNeverReadLetsNobodyIn() throws Exception {
    PreparedGroup served = new RouteCredentials().serve(compiled(dir.resolve("missing")));
    assertThat(users(served, 0)).startsWith("#");
  }

  @Test
  void malformedLinesSayWhereNeverWhat() {
    assertThatThrownBy(() -> Htpasswd.parse("/u", List.of(ALICE, "bob:$apr1$x$secrethash")))
        .hasMessage(
            "/u:2: user \"bob\" has no {SHA} hash; Envoy accepts only those: make the line with"
                + " `htpasswd -s`")
        .hasMessageNotContaining("secrethash");
    assertThatThrownBy(() -> Htpasswd.parse("/u", List.of(ALICE, ALICE)))
        .hasMessage("/u:2: user \"alice\" is given twice; keep one line per user");
    assertThatThrownBy(() -> Htpasswd.parse("/u", List.of("no-colon-here")))
        .hasMessage("/u:1: not `user:{SHA}hash` (user names use letters, digits and . _ @ -)");
  }
}
