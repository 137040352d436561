package dev.meshgate.compiler.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.Diagnostic;
import dev.meshgate.compiler.DiagnosticLimit;
import dev.meshgate.compiler.Source;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins the exact text of every diagnostic the compiler can emit: one row per code (and per message
 * variant), input → the one diagnostic it produces, rendered. A wording change must show up here,
 * in review, on purpose.
 */
class DiagnosticsTest {

  /** Two services in the mesh (lines 1-8); mesh rows append their case from line 9. */
  static final String MESH =
      """
      service catalog {
        source static 127.0.0.1:15101
        sidecar { inbound :15101 app 127.0.0.1:9101 }
      }
      service orders {
        source static 127.0.0.1:15201
        sidecar { inbound :15201 app 127.0.0.1:9201 }
      }
      """;

  /** A tcp service in the mesh (5 lines), appended to {@link #MESH} by the tcp rows. */
  static final String TCP =
      """
      service db {
        source static 127.0.0.1:15401
        protocol tcp
        sidecar { inbound :15401 app 127.0.0.1:5432 }
      }
      """;

  static Stream<Arguments> rows() {
    return Stream.of(
            v1Rows(),
            meshRows(),
            analysisRows(),
            inputLimitRows(),
            SecurityDiagnosticRows.rows(), // edge security (issue 12)
            JwtDiagnosticRows.rows(), // jwt (issue 12)
            ApiKeyRows.rows(), // api keys (issue 12)
            OidcDiagnosticRows.rows(), // oidc login (issue 12)
            BasicAuthRows.rows(), // basic auth (issue 12)
            ResilienceDiagnostics.rows(), // resilience (issues 11, 14)
            ClusterSettingRows.rows(), // cluster settings (issue 14)
            RoutingRows.rows(),
            LoadBalancingRows.rows(), // load balancing (issue 14)
            AccessLogRows.rows(), // access logs (issue 15)
            RateLimitRows.rows(), // local rate limits (issue 13)
            GlobalRateLimitRows.rows(), // global rate limits (issue 13)
            BoundaryRows.rows(), // compression and request limits (issue 13)
            TracingRows.rows(), // tracing (issue 15)
            ExtAuthzRows.rows(), // external authorization (issue 12)
            CustomResponseRows.rows(), // custom responses (issue 13)
            GrpcTranscodeRows.rows()) // gRPC transcoding and gRPC-Web (issue 13)
        .flatMap(r -> r);
  }

  /**
   * Unused-declaration warnings (MG720, MG721) would show up in most rows, which declare things
   * only to provoke something else; rows about other codes leave them out.
   */
  static final Set<String> UNUSED = Set.of(Codes.UNUSED_SERVICE, Codes.UNUSED_SUBSET);

  /** One service, used by one gateway (lines 1-2); analysis rows append their case from line 3. */
  static final String EDGE =
      """
      service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
      gateway edge { listen :8080 host "*" { route /v1/** { to catalog.v1 } route /** { to catalog } } }
      """;

  static Stream<Arguments> analysisRows() {
    return Stream.of(
        row(
            "MG701",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /api/** { to catalog }
                route GET /api/items when header "x-beta" = "1" { to catalog.v1 }
              }
            }
            """,
            """
            t.mesh:6:5: error[MG701]: this route can never match: it is shadowed by the route at line 5 (`/api/**`), which comes first and matches every request this one matches; move this route above it, or narrow that one
             6 |     route GET /api/items when header "x-beta" = "1" { to catalog.v1 }
               |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG701",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route GET ~ "^/.*$" { to catalog }
                route GET ~ "^/v[0-9]+/items$" { to catalog.v1 }
              }
            }
            """,
            """
            t.mesh:6:5: error[MG701]: this route can never match: it is shadowed by the route at line 5 (`GET ~ "^/.*$"`), which comes first and matches every request this one matches; move this route above it, or narrow that one
             6 |     route GET ~ "^/v[0-9]+/items$" { to catalog.v1 }
               |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG702",
            EDGE
                + """
                gateway admin { listen 127.0.0.1:8080 host "*" { route /** { to catalog } } }
                """,
            """
            t.mesh:3:17: error[MG702]: `listen 127.0.0.1:8080` of gateway "admin" collides with `listen :8080` of gateway "edge" at line 2: both cannot bind it on one machine; give each gateway its own port (if they run on different machines, say so with `# meshgate:ignore MG702 REASON`)
             3 | gateway admin { listen 127.0.0.1:8080 host "*" { route /** { to catalog } } }
               |                 ^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG703",
            """
            service catalog {
              source static 127.0.0.1:9101 labels version=v1
              subset v2 where version = "v2"
            }
            gateway edge { listen :8080 host "*" { route /** { to catalog.v2 } } }
            """,
            """
            t.mesh:3:10: warning[MG214]: subset "v2" selects none of the static endpoints of service "catalog"; check the labels after `labels`
             3 |   subset v2 where version = "v2"
               |          ^^

            t.mesh:5:55: error[MG703]: "catalog.v2" has no endpoint: subset "v2" (line 3) selects none of the static endpoints of service "catalog", so every request sent there fails with 503; fix the subset's `where` or the endpoints' labels
             5 | gateway edge { listen :8080 host "*" { route /** { to catalog.v2 } } }
               |                                                       ^^^^^^^^^^\
            """),
        row(
            "MG704",
            MESH
                + """
                deny orders -> catalog DELETE /admin/**
                allow orders -> catalog DELETE /admin/**
                """,
            """
            t.mesh:10:1: warning[MG704]: this allow contradicts the deny at line 9, which has exactly the same scope; deny rules win, so this allow is dead: remove one of the two
             10 | allow orders -> catalog DELETE /admin/**
                | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG720",
            EDGE
                + """
                service legacy { source static 127.0.0.1:9701 }
                """,
            """
            t.mesh:3:9: warning[MG720]: service "legacy" is declared but never used: no route sends to it and no rule or call names it; remove it, or add what was meant to use it
             3 | service legacy { source static 127.0.0.1:9701 }
               |         ^^^^^^\
            """),
        row(
            "MG721",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge { listen :8080 host "*" { route /** { to catalog } } }
            """,
            """
            t.mesh:1:74: warning[MG721]: subset "v1" of service "catalog" is declared but no route sends to it; remove it, or use it in a `to` like `to catalog.v1`
             1 | service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
               |                                                                          ^^\
            """),
        row(
            "MG790",
            EDGE
                + """
                # meshgate:ignore MG720
                service legacy { source static 127.0.0.1:9701 }
                """,
            """
            t.mesh:3:1: warning[MG790]: this ignore gives no reason, so it is not applied; say why the finding is fine, like `# meshgate:ignore MG720 old clients still use it`
             3 | # meshgate:ignore MG720
               | ^^^^^^^^^^^^^^^^^^^^^^^

            t.mesh:4:9: warning[MG720]: service "legacy" is declared but never used: no route sends to it and no rule or call names it; remove it, or add what was meant to use it
             4 | service legacy { source static 127.0.0.1:9701 }
               |         ^^^^^^\
            """),
        row(
            "MG790",
            EDGE
                + """
                # meshgate:ignore
                """,
            """
            t.mesh:3:1: warning[MG790]: this ignore names no code; write `# meshgate:ignore MG701 why it is fine`
             3 | # meshgate:ignore
               | ^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG790",
            EDGE
                + """
                # meshgate:ignore MG7O1 looks like a code
                """,
            """
            t.mesh:3:19: warning[MG790]: "MG7O1" is not a Meshgate diagnostic code; write codes as printed in brackets, like MG701 (several: MG701,MG720)
             3 | # meshgate:ignore MG7O1 looks like a code
               |                   ^^^^^\
            """),
        row(
            "MG790",
            EDGE
                + """
                # meshgate:ignroe MG701 typo
                """,
            """
            t.mesh:3:1: warning[MG790]: unknown meshgate directive; the one there is reads `# meshgate:ignore MG701 why it is fine`
             3 | # meshgate:ignroe MG701 typo
               | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG791",
            EDGE
                + """
                service legacy { source static 127.0.0.1:9701 }  # meshgate:ignore MG720 kept for the migration
                # meshgate:ignore MG720 nothing to silence below
                gateway admin { listen :9090 host "*" { route /** { to catalog } } }
                """,
            """
            t.mesh:4:19: warning[MG791]: this ignore silences nothing: line 5 has no MG720 finding; remove it
             4 | # meshgate:ignore MG720 nothing to silence below
               |                   ^^^^^\
            """),
        row(
            "MG792",
            EDGE
                + """
                # meshgate:ignore MG201 the service comes later
                gateway admin { listen :9090 host "*" { route /** { to billing } } }
                """,
            """
            t.mesh:3:19: warning[MG792]: MG201 cannot be silenced: it means the policy cannot be compiled as written; fix it instead
             3 | # meshgate:ignore MG201 the service comes later
               |                   ^^^^^

            t.mesh:4:56: error[MG201]: unknown service "billing"; declared services: catalog
             4 | gateway admin { listen :9090 host "*" { route /** { to billing } } }
               |                                                        ^^^^^^^\
            """));
  }

  static Stream<Arguments> meshRows() {
    return Stream.of(
        row(
            "MG501",
            MESH
                + """
                mesh {}
                mesh {}
                """,
            """
            t.mesh:10:1: error[MG501]: duplicate mesh block; it is first declared at line 9; a policy has one mesh
             10 | mesh {}
                | ^^^^\
            """),
        row(
            "MG502",
            MESH
                + """
                mesh { trust-domain "Shop.Example" }
                """,
            """
            t.mesh:9:21: error[MG502]: invalid trust domain "Shop.Example"; write a lower-case name like "shop.example" (letters, digits, '.', '-', '_'), without "spiffe://", port or path
             9 | mesh { trust-domain "Shop.Example" }
               |                     ^^^^^^^^^^^^^^\
            """),
        row(
            "MG503",
            MESH
                + """
                mesh { mtls strictly }
                """,
            """
            t.mesh:9:13: error[MG503]: unknown mtls mode "strictly"; use strict (only mTLS) or permissive (mTLS and plaintext)
             9 | mesh { mtls strictly }
               |             ^^^^^^^^\
            """),
        row(
            "MG504",
            MESH
                + """
                mesh { authz default maybe }
                """,
            """
            t.mesh:9:22: error[MG504]: unknown authz default "maybe"; use deny (a request needs an allow rule) or allow
             9 | mesh { authz default maybe }
               |                      ^^^^^\
            """),
        row(
            "MG505",
            MESH
                + """
                mesh { mtls strict mtls permissive }
                """,
            """
            t.mesh:9:20: error[MG505]: duplicate `mtls` in the mesh block; the first is at line 9
             9 | mesh { mtls strict mtls permissive }
               |                    ^^^^^^^^^^^^^^^\
            """),
        row(
            "MG506",
            MESH
                + """
                allow ordrs -> catalog
                """,
            """
            t.mesh:9:7: error[MG506]: unknown service or gateway "ordrs"; did you mean "orders"?
             9 | allow ordrs -> catalog
               |       ^^^^^\
            """),
        row(
            "MG507",
            MESH
                + """
                service legacy { source static 127.0.0.1:9701 }
                allow orders -> legacy
                """,
            """
            t.mesh:10:17: error[MG507]: service "legacy" has no sidecar, so nothing can enforce this rule; add a `sidecar { … }` block to "legacy"
             10 | allow orders -> legacy
                |                 ^^^^^^\
            """),
        row(
            "MG507",
            MESH
                + """
                gateway edge { listen :8080 host "*" { route /** { to catalog } } }
                allow orders -> edge
                """,
            """
            t.mesh:10:17: error[MG507]: "edge" is a gateway, not a service; the destination of a rule is a service with a sidecar
             10 | allow orders -> edge
                |                 ^^^^\
            """),
        row(
            "MG508",
            MESH
                + """
                service legacy { source static 127.0.0.1:9701 }
                call legacy -> catalog
                """,
            """
            t.mesh:10:6: error[MG508]: service "legacy" has no sidecar, so no proxy makes its calls; add a `sidecar { … }` block to "legacy"
             10 | call legacy -> catalog
                |      ^^^^^^\
            """),
        row(
            "MG508",
            MESH
                + """
                gateway edge { listen :8080 host "*" { route /** { to catalog } } }
                allow edge -> catalog
                call edge -> catalog
                """,
            """
            t.mesh:11:6: error[MG508]: "edge" is a gateway; gateways send traffic with `route`, and `call` configures the sidecar of a service
             11 | call edge -> catalog
                |      ^^^^\
            """),
        row(
            "MG509",
            MESH
                + """
                deny orders -> catalog /admin/**
                allow orders -> catalog GET /admin/users
                """,
            """
            t.mesh:10:1: warning[MG509]: this allow never lets a request through: the deny at line 9 matches every request it allows, and deny rules are checked first
             10 | allow orders -> catalog GET /admin/users
                | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG509",
            MESH
                + """
                deny orders -> catalog /admin/**
                deny orders -> catalog DELETE /admin/users/**
                """,
            """
            t.mesh:10:1: warning[MG509]: this deny never decides anything: the broader deny at line 9 already matches every request it matches
             10 | deny orders -> catalog DELETE /admin/users/**
                | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG509",
            MESH
                + """
                allow orders -> catalog /items/**
                allow orders -> catalog GET /items/1
                """,
            """
            t.mesh:10:1: warning[MG509]: this allow adds nothing: the broader allow at line 9 already lets through every request it matches
             10 | allow orders -> catalog GET /items/1
                | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG509",
            MESH
                + """
                allow * -> catalog /health
                allow * -> catalog /health
                """,
            """
            t.mesh:10:1: warning[MG509]: this rule repeats the rule at line 9
             10 | allow * -> catalog /health
                | ^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG510",
            MESH
                + """
                service legacy { source static 127.0.0.1:9701 }
                allow legacy -> catalog
                """,
            """
            t.mesh:10:7: error[MG510]: service "legacy" has no sidecar, so under `mtls strict` its requests cannot present a certificate and are refused before this allow is checked; add a `sidecar { … }` block to "legacy" or use `mtls permissive`
             10 | allow legacy -> catalog
                |       ^^^^^^\
            """),
        row(
            "MG511",
            MESH
                + """
                service legacy { source static 127.0.0.1:9701 }
                deny legacy -> catalog
                """,
            """
            t.mesh:10:6: warning[MG511]: service "legacy" has no sidecar, so its requests carry no identity and this rule can never match them; add a `sidecar { … }` block to "legacy"
             10 | deny legacy -> catalog
                |      ^^^^^^\
            """),
        row(
            "MG512",
            MESH
                + """
                call orders -> catalog
                """,
            """
            t.mesh:9:1: error[MG512]: service "orders" may not call "catalog": under `authz default deny` no allow rule lets it through; add `allow orders -> catalog`
             9 | call orders -> catalog
               | ^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG512",
            MESH
                + """
                mesh { authz default allow }
                deny * -> catalog
                call orders -> catalog
                """,
            """
            t.mesh:11:1: error[MG512]: service "orders" may not call "catalog": the deny at line 10 blocks every request from it; remove the call or narrow the deny
             11 | call orders -> catalog
                | ^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG513",
            MESH
                + """
                service billing {
                  source static 127.0.0.1:15301
                  sidecar { inbound :15301 app 127.0.0.1:15001 }
                }
                """,
            """
            t.mesh:11:28: error[MG513]: `app 127.0.0.1:15001` uses the same port as `outbound 127.0.0.1:15001` (the default) in the sidecar of service "billing"; give each its own port
             11 |   sidecar { inbound :15301 app 127.0.0.1:15001 }
                |                            ^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG513",
            MESH
                + """
                service billing {
                  source static 127.0.0.1:15101
                  sidecar { inbound 127.0.0.1:15101 app 127.0.0.1:9301 }
                }
                service audit {
                  source static 127.0.0.1:15101
                  sidecar { inbound 127.0.0.1:15101 app 127.0.0.1:9401 }
                }
                """,
            """
            t.mesh:15:13: error[MG513]: `inbound 127.0.0.1:15101` of service "audit" is also the inbound of service "billing" at line 11; each sidecar needs its own address
             15 |   sidecar { inbound 127.0.0.1:15101 app 127.0.0.1:9401 }
                |             ^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG514",
            MESH
                + """
                service billing {
                  source static 127.0.0.1:9301
                  sidecar { inbound :15301 app 127.0.0.1:9301 }
                }
                """,
            """
            t.mesh:10:17: warning[MG514]: callers reach service "billing" at 127.0.0.1:9301, which is not its sidecar's inbound port 15301, so their requests bypass the sidecar (no mTLS, no authorization); list the sidecar's address in `source`
             10 |   source static 127.0.0.1:9301
                |                 ^^^^^^^^^^^^^^\
            """),
        row(
            "MG515",
            MESH
                + """
                service billing {
                  source static 127.0.0.1:15301
                  sidecar { inbound :15301 }
                }
                """,
            """
            t.mesh:11:3: error[MG515]: the sidecar of service "billing" has no `app`, the address of the application it serves; add one like `app 127.0.0.1:9101`
             11 |   sidecar { inbound :15301 }
                |   ^^^^^^^\
            """),
        row(
            "MG515",
            MESH
                + """
                service billing {
                  source static 127.0.0.1:15301
                  sidecar { app 127.0.0.1:9301 }
                }
                """,
            """
            t.mesh:11:3: error[MG515]: the sidecar of service "billing" has no `inbound`, the port callers reach it on; add one like `inbound :15101`
             11 |   sidecar { app 127.0.0.1:9301 }
                |   ^^^^^^^\
            """),
        row(
            "MG516",
            MESH
                + """
                service billing {
                  source static 127.0.0.1:15301
                  sidecar { inbound :15301 app 127.0.0.1:9301 inbound :15302 }
                }
                """,
            """
            t.mesh:11:47: error[MG516]: the sidecar of service "billing" has more than one `inbound`; the first is at line 11
             11 |   sidecar { inbound :15301 app 127.0.0.1:9301 inbound :15302 }
                |                                               ^^^^^^^^^^^^^^\
            """),
        row(
            "MG517",
            MESH
                + """
                allow dry-run orders -> catalog
                """,
            """
            t.mesh:9:7: error[MG517]: `dry-run` applies to deny rules only: it records what a deny would block; write `deny dry-run …`, or drop `dry-run`
             9 | allow dry-run orders -> catalog
               |       ^^^^^^^\
            """),
        row(
            "MG518",
            MESH
                + """
                allow orders -> catalog
                call orders -> catalog
                call orders -> catalog
                """,
            """
            t.mesh:11:1: error[MG518]: duplicate `call orders -> catalog`; it is first declared at line 10; merge their settings
             11 | call orders -> catalog
                | ^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG519",
            MESH + TCP + "allow orders -> db\n",
"""
t.mesh:14:1: error[MG519]: service "db" speaks `protocol tcp`, so the sidecar of "orders" reaches it on a local port of its own, and none is declared; add `call orders -> db { port 15432 }` (any free port) and connect the app to that port
 14 | allow orders -> db
    | ^^^^^^^^^^^^^^^^^^\
"""),
        row(
            "MG520",
            MESH + "allow orders -> catalog\ncall orders -> catalog { port 15432 }\n",
"""
t.mesh:10:26: error[MG520]: `port` declares the local port for a `protocol tcp` callee, but service "catalog" speaks HTTP, which the app reaches by name through the outbound listener (http://catalog/); remove it
 10 | call orders -> catalog { port 15432 }
    |                          ^^^^^^^^^^\
"""),
        row(
            "MG521",
            MESH + TCP + "allow orders -> db\ncall orders -> db { port 15432 timeout 1s }\n",
"""
t.mesh:15:32: error[MG521]: `timeout` applies to HTTP requests, but service "db" speaks `protocol tcp`, where the sidecar only relays a connection; remove it
 15 | call orders -> db { port 15432 timeout 1s }
    |                                ^^^^^^^^^^\
"""),
        row(
            "MG522",
            MESH + TCP + "allow orders -> db GET /rows\ncall orders -> db { port 15432 }\n",
"""
t.mesh:14:20: error[MG522]: service "db" speaks `protocol tcp`: its sidecar sees connections, not requests, so a rule can only match the peer's identity; drop the methods and paths (`allow orders -> db`)
 14 | allow orders -> db GET /rows
    |                    ^^^\
"""),
        row(
            "MG513",
            MESH + TCP + "allow orders -> db\ncall orders -> db { port 9201 }\n",
"""
t.mesh:15:21: error[MG513]: `port 9201` (of `call orders -> db`) is bound on 127.0.0.1, and uses the same port as `app 127.0.0.1:9201` in the sidecar of service "orders"; give each its own port
 15 | call orders -> db { port 9201 }
    |                     ^^^^^^^^^\
"""),
        row(
            "MG413",
            TCP + "gateway edge {\n  listen :8080\n  host \"*\" { route /** { to db } }\n}\n",
"""
t.mesh:8:29: error[MG413]: service "db" speaks `protocol tcp`, but a gateway route sends HTTP requests; route to an HTTP service, or declare "db" with another protocol
 8 |   host "*" { route /** { to db } }
   |                             ^^\
"""),
        row(
            "MG320",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              host "*" {
                redirect 301 "https://example.com/"
                route /** { to catalog }
              }
            }
            """,
            """
            t.mesh:5:5: error[MG320]: `redirect` cannot be written on a host: it belongs on a route; move it into the routes that need it
             5 |     redirect 301 "https://example.com/"
               |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG321",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              host "*" {
                route /a { redirect ftp }
              }
            }
            """,
            """
            t.mesh:5:25: error[MG321]: redirect does not know "ftp"; write http, https, host "NAME", port N, path "/…", prefix "/…" or strip-query
             5 |     route /a { redirect ftp }
               |                         ^^^\
            """),
        row(
            "MG322",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              host "*" {
                route /b { redirect https http }
              }
            }
            """,
            """
            t.mesh:5:31: error[MG322]: redirect already sets the scheme (`https` at line 5); a redirect changes each part of the URL at most once
             5 |     route /b { redirect https http }
               |                               ^^^^\
            """),
        row(
            "MG323",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              host "*" {
                route /d { redirect prefix "/new/" }
              }
            }
            """,
            """
            t.mesh:5:32: error[MG323]: redirect prefix replaces the prefix a route like /old/** matched, but this route matches /d; write path "/new/" to replace the whole path
             5 |     route /d { redirect prefix "/new/" }
               |                                ^^^^^^^\
            """),
        row(
            "MG324",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              host "*" {
                route /f { redirect host "b.example:8443" }
              }
            }
            """,
            """
            t.mesh:5:30: error[MG324]: redirect host "b.example:8443" is not a host name; write a name like "b.example" (a port is written apart: port 8443)
             5 |     route /f { redirect host "b.example:8443" }
               |                              ^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG325",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              host "*" {
                route /d { to catalog rewrite path "x" }
              }
            }
            """,
            """
            t.mesh:5:40: error[MG325]: rewrite path "x" is not a path; write one that starts with '/', without query or fragment
             5 |     route /d { to catalog rewrite path "x" }
               |                                        ^^^\
            """),
        row(
            "MG326",
            """
            service catalog { source static 127.0.0.1:9101 hostname "a_b" }
            """,
            """
            t.mesh:1:57: error[MG326]: endpoint hostname "a_b" is not a DNS name; write a name like "api-1.internal", without port, scheme or path
             1 | service catalog { source static 127.0.0.1:9101 hostname "a_b" }
               |                                                         ^^^^^\
            """),
        row(
            "MG327",
            """
            service catalog { source static 127.0.0.1:9101 }
            gateway edge {
              listen :8080
              host "*" {
                route /e { to catalog rewrite host to-endpoint }
              }
            }
            """,
            """
            t.mesh:5:27: warning[MG327]: rewrite host to-endpoint: endpoint 127.0.0.1:9101 of service catalog (line 1) has no hostname, so requests it gets keep the client's Host; add `hostname "…"` to it
             5 |     route /e { to catalog rewrite host to-endpoint }
               |                           ^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG412",
            MESH
                + """
                allow orders -> catalog
                call orders -> catalog { timeout 1s timeout 2s }
                """,
            """
            t.mesh:10:37: error[MG412]: duplicate `timeout` in this call; the first is at line 10
             10 | call orders -> catalog { timeout 1s timeout 2s }
                |                                     ^^^^^^^^^^\
            """),
        row(
            "MG410",
            MESH
                + """
                allow orders -> catalog
                call orders -> catalog { timeout 1s retry 3 per-try 500ms }
                """,
            """
            t.mesh:10:37: warning[MG410]: the first try and 3 retries can take 4 × 500ms = 2s, longer than the call timeout of 1s, so the last retries would be cut off; lower `per-try` or the number of retries, or raise the timeout
             10 | call orders -> catalog { timeout 1s retry 3 per-try 500ms }
                |                                     ^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG311",
            MESH
                + """
                allow orders -> catalog GET GET
                """,
            """
            t.mesh:9:29: error[MG311]: method GET is listed twice in this rule
             9 | allow orders -> catalog GET GET
               |                             ^^^\
            """),
        row(
            "MG312",
            MESH
                + """
                allow orders -> catalog /a/*/b
                """,
            """
            t.mesh:9:25: error[MG312]: invalid path /a/*/b: '*' may only appear as a final /**, as in /api/**
             9 | allow orders -> catalog /a/*/b
               |                         ^^^^^^\
            """),
        row(
            "MG210",
            MESH
                + """
                service billing {
                  source static 127.0.0.1:15301
                  sidecar { inbound :15301 app 127.0.0.1:9301 }
                  sidecar { inbound :15301 app 127.0.0.1:9301 }
                }
                """,
            """
            t.mesh:12:3: error[MG210]: service "billing" has more than one `sidecar`; the first is at line 11
             12 |   sidecar { inbound :15301 app 127.0.0.1:9301 }
                |   ^^^^^^^\
            """),
        row(
            "MG101",
            MESH
                + """
                allow orders catalog
                """,
            """
            t.mesh:9:14: error[MG101]: expected '->', found 'catalog'
             9 | allow orders catalog
               |              ^^^^^^^\
            """),
        row(
            "MG101",
            MESH
                + """
                allow orders -> catalog
                call orders -> catalog { rewrite prefix "/a" => "/" }
                """,
            """
            t.mesh:10:26: error[MG101]: expected a call statement (timeout, backend-timeout, retry, fault, port, mirror, hash-by, rate-limit, trace sample), a cluster setting (circuit-breaker, outlier-detection, health-check, panic-threshold, load-balancer, slow-start) or '}', found 'rewrite'
             10 | call orders -> catalog { rewrite prefix "/a" => "/" }
                |                          ^^^^^^^\
            """));
  }

  static Stream<Arguments> v1Rows() {
    return Stream.of(
        row(
            "MG101",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { to catalog timeout 2 }
              }
            }
            """,
            """
            t.mesh:5:35: error[MG101]: expected a duration like 2s, or none, found '2'
             5 |     route /a { to catalog timeout 2 }
               |                                   ^\
            """),
        row(
            "MG101",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route GETT /a { to catalog }
              }
            }
            """,
            """
            t.mesh:5:11: error[MG101]: expected an HTTP method like GET, a path like /api/** or ~ "regex", found 'GETT'
             5 |     route GETT /a { to catalog }
               |           ^^^^\
            """),
        row(
            "MG101",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { to catalog }
            """,
            """
            t.mesh:5:28: error[MG101]: expected a route statement (to, redirect, respond, rewrite, timeout, backend-timeout, retry, fault, set, add, remove, cors, mirror, hash-by, rate-limit, compress, max-request-body, trace sample, ext-authz off, error-response, grpc-json, grpc-web), an authentication statement (require jwt, require ext-authz, require api-key, require basic-auth, allow jwt, deny jwt), 'route' or '}', found end of file; a block opened with '{' is not closed
             5 |     route /a { to catalog }
               |                            ^\
            """),
        row(
            "MG102",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { to catalog } @
              }
            }
            """,
            """
            t.mesh:5:29: error[MG102]: unexpected character '@'
             5 |     route /a { to catalog } @
               |                             ^\
            """),
        row(
            "MG103",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a {
                  to catalog
                  set request-header "x-via" = "edge
                }
              }
            }
            """,
            """
            t.mesh:7:36: error[MG103]: unterminated string: add a closing " before the end of the line
             7 |       set request-header "x-via" = "edge
               |                                    ^^^^^\
            """),
        row(
            "MG201",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { to catalg }
              }
            }
            """,
            """
            t.mesh:5:19: error[MG201]: unknown service "catalg"; did you mean "catalog"?
             5 |     route /a { to catalg }
               |                   ^^^^^^\
            """),
        row(
            "MG201",
            """
            service svc-8 { source static 127.0.0.1:9108 }
            service svc-9 { source static 127.0.0.1:9109 }
            service svc-10 { source static 127.0.0.1:9110 }
            service svc-11 { source static 127.0.0.1:9111 }
            service svc-12 { source static 127.0.0.1:9112 }
            service svc-13 { source static 127.0.0.1:9113 }
            gateway edge {
              listen :8080
              host "*" {
                route /a { to svc-8 }
                route /b { to svc-9 }
                route /c { to svc-10 }
                route /d { to svc-11 }
                route /e { to svc-12 }
                route /f { to svc-13 }
                route /g { to svc-1o }
              }
            }
            """,
            """
            t.mesh:16:19: error[MG201]: unknown service "svc-1o"; did you mean "svc-10"?
             16 |     route /g { to svc-1o }
                |                   ^^^^^^\
            """),
        row(
            "MG201",
            """
            service svc-8 { source static 127.0.0.1:9108 }
            service svc-9 { source static 127.0.0.1:9109 }
            service svc-10 { source static 127.0.0.1:9110 }
            service svc-11 { source static 127.0.0.1:9111 }
            service svc-12 { source static 127.0.0.1:9112 }
            service svc-13 { source static 127.0.0.1:9113 }
            gateway edge {
              listen :8080
              host "*" {
                route /a { to svc-8 }
                route /b { to svc-9 }
                route /c { to svc-10 }
                route /d { to svc-11 }
                route /e { to svc-12 }
                route /f { to svc-13 }
                route /g { to billing }
              }
            }
            """,
            """
            t.mesh:16:19: error[MG201]: unknown service "billing"; none of the 6 declared services is close
             16 |     route /g { to billing }
                |                   ^^^^^^^\
            """),
        row(
            "MG202",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset canary where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { to catalog.canry }
              }
            }
            """,
            """
            t.mesh:5:27: error[MG202]: unknown subset "canry" of service "catalog"; did you mean "canary"?
             5 |     route /a { to catalog.canry }
               |                           ^^^^^\
            """),
        row(
            "MG202",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { to catalog.v2 }
              }
            }
            """,
            """
            t.mesh:5:27: error[MG202]: unknown subset "v2" of service "catalog"; its subsets: v1
             5 |     route /a { to catalog.v2 }
               |                           ^^\
            """),
        row(
            "MG203",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            service catalog { source static 127.0.0.1:9102 }
            """,
            """
            t.mesh:2:9: error[MG203]: duplicate service "catalog"; it is first declared at line 1
             2 | service catalog { source static 127.0.0.1:9102 }
               |         ^^^^^^^\
            """),
        row(
            "MG204",
            """
            gateway edge { listen :8080 host "*" { } }
            gateway edge { listen :8081 host "*" { } }
            """,
            """
            t.mesh:2:9: error[MG204]: duplicate gateway "edge"; it is first declared at line 1
             2 | gateway edge { listen :8081 host "*" { } }
               |         ^^^^\
            """),
        row(
            "MG205",
            """
            service catalog {
              source static 127.0.0.1:9101 labels version=v1
              subset v1 where version = "v1"
              subset v1 where version = "v1"
            }
            """,
            """
            t.mesh:4:10: error[MG205]: duplicate subset "v1" in service "catalog"; it is first declared at line 3
             4 |   subset v1 where version = "v1"
               |          ^^\
            """),
        row(
            "MG206",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "a.example" { route /a { to catalog } }
              host "a.example" { route /b { to catalog } }
            }
            """,
            """
            t.mesh:5:8: error[MG206]: duplicate host "a.example" in gateway "edge"; it is first declared at line 4; merge their routes
             5 |   host "a.example" { route /b { to catalog } }
               |        ^^^^^^^^^^^\
            """),
        row(
            "MG207",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              listen 127.0.0.1:8080
              host "*" { route /a { to catalog } }
            }
            """,
            """
            t.mesh:4:20: error[MG207]: gateway "edge" already listens on port 8080 at line 3
             4 |   listen 127.0.0.1:8080
               |                    ^^^^\
            """),
        row(
            "MG208",
            """
            service Catalog { source static 127.0.0.1:9101 }
            """,
            """
            t.mesh:1:9: error[MG208]: invalid service name "Catalog"; names use lower-case letters, digits and '-', and start with a letter
             1 | service Catalog { source static 127.0.0.1:9101 }
               |         ^^^^^^^\
            """),
        row(
            "MG209",
            """
            service catalog {
              protocol http
            }
            """,
            """
            t.mesh:1:9: error[MG209]: service "catalog" has no source; add one like `source static 127.0.0.1:9101`
             1 | service catalog {
               |         ^^^^^^^\
            """),
        row(
            "MG210",
            """
            service catalog {
              source static 127.0.0.1:9101
              source static 127.0.0.1:9102
            }
            """,
            """
            t.mesh:3:3: error[MG210]: service "catalog" has more than one `source`; the first is at line 2
             3 |   source static 127.0.0.1:9102
               |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG211",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              host "*" { route /a { to catalog } }
            }
            """,
            """
            t.mesh:2:9: error[MG211]: gateway "edge" has no `listen`, so it receives no traffic; add one like `listen :8080`
             2 | gateway edge {
               |         ^^^^\
            """),
        row(
            "MG212",
            """
            gateway edge {
              listen :8080
            }
            """,
            """
            t.mesh:1:9: warning[MG212]: gateway "edge" has no hosts, so it answers every request with 404; add one like `host "*" { … }`
             1 | gateway edge {
               |         ^^^^\
            """),
        row(
            "MG213",
            """
            service catalog {
              source kubernetes "shop/catalog"
            }
            """,
            """
            t.mesh:2:3: error[MG213]: a Kubernetes source needs the Service port to send to; add `port NAME` or `port NUMBER`, like `port http`
             2 |   source kubernetes "shop/catalog"
               |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG213",
            """
            service catalog {
              source kubernetes "Shop/catalog" port http
            }
            """,
            """
            t.mesh:2:21: error[MG213]: invalid Kubernetes service "Shop/catalog"; write NAMESPACE/NAME in lower case, like "shop/catalog" (the namespace defaults to "default")
             2 |   source kubernetes "Shop/catalog" port http
               |                     ^^^^^^^^^^^^^^\
            """),
        row(
            "MG213",
            """
            service catalog {
              source kubernetes "shop/catalog" port 70000
            }
            """,
            """
            t.mesh:2:41: error[MG213]: invalid Kubernetes port "70000"; use the Service port's name (lower case, like http) or its number from 1 to 65535
             2 |   source kubernetes "shop/catalog" port 70000
               |                                         ^^^^^\
            """),
        row(
            "MG213",
            """
            service catalog {
              source consul ""
            }
            """,
            """
            t.mesh:2:17: error[MG213]: the Consul service name is empty; write the name the service registers with, like "catalog"
             2 |   source consul ""
               |                 ^^\
            """),
        row(
            "MG213",
            """
            service catalog {
              source consul "catalog" datacenter "dc1" datacenter "dc2"
            }
            """,
            """
            t.mesh:2:55: error[MG213]: `datacenter` is given twice for this Consul source (first at line 2); keep one
             2 |   source consul "catalog" datacenter "dc1" datacenter "dc2"
               |                                                       ^^^^^\
            """),
        row(
            "MG213",
            """
            service catalog {
              source consul "catalog" tag ""
            }
            """,
            """
            t.mesh:2:31: error[MG213]: the Consul tag is empty; write one like "canary" or leave the option out
             2 |   source consul "catalog" tag ""
               |                               ^^\
            """),
        row(
            "MG214",
            """
            service catalog {
              source static 127.0.0.1:9101 labels version=v1
              subset v2 where version = "v2"
            }
            """,
            """
            t.mesh:3:10: warning[MG214]: subset "v2" selects none of the static endpoints of service "catalog"; check the labels after `labels`
             3 |   subset v2 where version = "v2"
               |          ^^\
            """),
        row(
            "MG301",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { to catalog timeout 2w }
              }
            }
            """,
            """
            t.mesh:5:35: error[MG301]: unknown duration unit "w" in 2w; use ms, s, m, h or d, like 250ms, 2s, 5m, 2h or 7d
             5 |     route /a { to catalog timeout 2w }
               |                                   ^^\
            """),
        row(
            "MG302",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { to catalog timeout 0ms }
              }
            }
            """,
            """
            t.mesh:5:35: error[MG302]: duration 0ms is zero; a duration must be at least 1ms
             5 |     route /a { to catalog timeout 0ms }
               |                                   ^^^\
            """),
        row(
            "MG302",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { to catalog timeout 9999999m }
              }
            }
            """,
            """
            t.mesh:5:35: error[MG302]: duration 9999999m is too long; the longest allowed is 365 days
             5 |     route /a { to catalog timeout 9999999m }
               |                                   ^^^^^^^^\
            """),
        row(
            "MG303",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :0
              host "*" {
                route /a { to catalog }
              }
            }
            """,
            """
            t.mesh:3:11: error[MG303]: port 0 is out of range; use a port from 1 to 65535
             3 |   listen :0
               |           ^\
            """),
        row(
            "MG304",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { respond 99 }
              }
            }
            """,
            """
            t.mesh:5:24: error[MG304]: respond status 99 is out of range; use a status from 200 to 599
             5 |     route /a { respond 99 }
               |                        ^^\
            """),
        row(
            "MG305",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { redirect 300 "/b" }
              }
            }
            """,
            """
            t.mesh:5:25: error[MG305]: redirect status 300 is not a redirect; use 301, 302, 303, 307 or 308
             5 |     route /a { redirect 300 "/b" }
               |                         ^^^\
            """),
        row(
            "MG306",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { to catalog retry 11 }
              }
            }
            """,
            """
            t.mesh:5:33: error[MG306]: retry attempts must be from 1 to 10, found 11
             5 |     route /a { to catalog retry 11 }
               |                                 ^^\
            """),
        row(
            "MG307",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { to catalog retry 3 on 503x }
              }
            }
            """,
            """
            t.mesh:5:38: error[MG307]: unknown retry condition "503x"; valid conditions: 5xx, gateway-error, reset, reset-before-request, connect-failure, retriable-4xx, refused-stream, or a status code like 503
             5 |     route /a { to catalog retry 3 on 503x }
               |                                      ^^^^\
            """),
        row(
            "MG307",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { to catalog retry 3 on reset, reset }
              }
            }
            """,
            """
            t.mesh:5:45: error[MG307]: retry condition "reset" is listed twice
             5 |     route /a { to catalog retry 3 on reset, reset }
               |                                             ^^^^^\
            """),
        row(
            "MG308",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route ~ "^/(a" { to catalog }
              }
            }
            """,
            """
            t.mesh:5:18: error[MG308]: invalid regex: unclosed group at position 5
             5 |     route ~ "^/(a" { to catalog }
               |                  ^\
            """),
        row(
            "MG309",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a when header "x canary" = "1" { to catalog }
              }
            }
            """,
            """
            t.mesh:5:26: error[MG309]: invalid header name "x canary"; header names use letters, digits and - _ . ! # $ % & ' * + ^ ` | ~ (no spaces), case-insensitive
             5 |     route /a when header "x canary" = "1" { to catalog }
               |                          ^^^^^^^^^^\
            """),
        row(
            "MG310",
            """
            service catalog {
              source static 127.0.0.1:9101
              protocol http3
            }
            """,
            """
            t.mesh:3:12: error[MG310]: unknown protocol "http3"; use http, http2, grpc or tcp
             3 |   protocol http3
               |            ^^^^^\
            """),
        row(
            "MG311",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route GET GET /a { to catalog }
              }
            }
            """,
            """
            t.mesh:5:15: error[MG311]: method GET is listed twice in this route
             5 |     route GET GET /a { to catalog }
               |               ^^^\
            """),
        row(
            "MG312",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a/*/b { to catalog }
              }
            }
            """,
            """
            t.mesh:5:11: error[MG312]: invalid path /a/*/b: '*' may only appear as a final /**, as in /api/**; use ~ "regex" for other patterns
             5 |     route /a/*/b { to catalog }
               |           ^^^^^^\
            """),
        row(
            "MG313",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "shop.example:8080" {
                route /a { to catalog }
              }
            }
            """,
            """
            t.mesh:4:8: error[MG313]: invalid host "shop.example:8080"; use a domain like "api.example.com", a wildcard like "*.example.com", or "*" for any host
             4 |   host "shop.example:8080" {
               |        ^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG314",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen 10.0.0.256:8080
              host "*" {
                route /a { to catalog }
              }
            }
            """,
            """
            t.mesh:3:10: error[MG314]: invalid IP address 10.0.0.256; each part must be from 0 to 255
             3 |   listen 10.0.0.256:8080
               |          ^^^^^^^^^^\
            """),
        row(
            "MG315",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { redirect 301 "b" }
              }
            }
            """,
            """
            t.mesh:5:29: error[MG315]: redirect location "b" must be a path like "/new/" or a URL like "https://example.com/new/"
             5 |     route /a { redirect 301 "b" }
               |                             ^^^\
            """),
        row(
            "MG316",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a/** { to catalog rewrite prefix "a/" => "/" }
              }
            }
            """,
            """
            t.mesh:5:45: error[MG316]: rewrite prefixes are paths and must start with '/', found "a/"
             5 |     route /a/** { to catalog rewrite prefix "a/" => "/" }
               |                                             ^^^^\
            """),
        row(
            "MG317",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { to catalog set request-header "host" = "b" }
              }
            }
            """,
            """
            t.mesh:5:46: error[MG317]: the host header is changed with `rewrite host "NEW-HOST"`, not with `set`
             5 |     route /a { to catalog set request-header "host" = "b" }
               |                                              ^^^^^^\
            """),
        row(
            "MG318",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a when query "" = "1" { to catalog }
              }
            }
            """,
            """
            t.mesh:5:25: error[MG318]: query parameter name is empty; write the parameter's name, like "q"
             5 |     route /a when query "" = "1" { to catalog }
               |                         ^^\
            """),
        row(
            "MG319",
            """
            service catalog { source static localhost:9101 }
            gateway edge {
              listen :8080
              host "*" {
                route /a { to catalog }
              }
            }
            """,
            """
            t.mesh:1:33: error[MG319]: static endpoint "localhost" is not an IP address; Envoy resolves no names in endpoint lists, so write the address, like 127.0.0.1:9101
             1 | service catalog { source static localhost:9101 }
               |                                 ^^^^^^^^^\
            """),
        row(
            "MG401",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { set response-header "x-a" = "1" }
              }
            }
            """,
            """
            t.mesh:5:5: error[MG401]: route has no action; add one of `to`, `redirect` or `respond`
             5 |     route /a { set response-header "x-a" = "1" }
               |     ^^^^^^^^\
            """),
        row(
            "MG402",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { to catalog respond 200 }
              }
            }
            """,
            """
            t.mesh:5:27: error[MG402]: a route has exactly one action, but this one has `to` at line 5 and `respond` here; keep one
             5 |     route /a { to catalog respond 200 }
               |                           ^^^^^^^^^^^\
            """),
        row(
            "MG403",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { respond 200 timeout 1s }
              }
            }
            """,
            """
            t.mesh:5:28: error[MG403]: `timeout` only applies to routes that forward with `to`, but this route uses `respond`
             5 |     route /a { respond 200 timeout 1s }
               |                            ^^^^^^^^^^\
            """),
        row(
            "MG404",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { to catalog 60%, catalog.v1 60% }
              }
            }
            """,
            """
            t.mesh:5:16: error[MG404]: weights sum to 120%, but must sum to 100%
             5 |     route /a { to catalog 60%, catalog.v1 60% }
               |                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG405",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { to catalog 60%, catalog.v1 }
              }
            }
            """,
            """
            t.mesh:5:32: error[MG405]: target "catalog.v1" has no weight; when `to` has several targets each needs one, like catalog.v1 10%
             5 |     route /a { to catalog 60%, catalog.v1 }
               |                                ^^^^^^^^^^\
            """),
        row(
            "MG406",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { to catalog 0%, catalog.v1 0% }
              }
            }
            """,
            """
            t.mesh:5:16: warning[MG406]: every target of this `to` has weight 0%, so the route sends no traffic: Envoy answers 503; give one target a weight
             5 |     route /a { to catalog 0%, catalog.v1 0% }
               |                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG407",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { to catalog.v1 50%, catalog.v1 50% }
              }
            }
            """,
            """
            t.mesh:5:35: error[MG407]: "catalog.v1" is a target twice in this `to`; give it one combined weight
             5 |     route /a { to catalog.v1 50%, catalog.v1 50% }
               |                                   ^^^^^^^^^^^^^^\
            """),
        row(
            "MG408",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route GET /a { to catalog }
                route GET /a { respond 404 }
              }
            }
            """,
            """
            t.mesh:6:5: error[MG408]: this route matches the same requests as the route at line 5, which comes first, so it can never match
             6 |     route GET /a { respond 404 }
               |     ^^^^^^^^^^^^\
            """),
        row(
            "MG409",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /** { to catalog }
                route /a { to catalog }
              }
            }
            """,
            """
            t.mesh:6:5: error[MG409]: this route can never match: the catch-all route `/**` at line 5 takes every request first; move this route above it
             6 |     route /a { to catalog }
               |     ^^^^^^^^\
            """),
        row(
            "MG410",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { to catalog timeout 1s retry 3 per-try 500ms }
              }
            }
            """,
            """
            t.mesh:5:38: warning[MG410]: the first try and 3 retries can take 4 × 500ms = 2s, longer than the route timeout of 1s, so the last retries would be cut off; lower `per-try` or the number of retries, or raise the timeout
             5 |     route /a { to catalog timeout 1s retry 3 per-try 500ms }
               |                                      ^^^^^^^^^^^^^^^^^^^^^\
            """),
        row(
            "MG411",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a/** { to catalog rewrite prefix "/b/" => "/" }
              }
            }
            """,
            """
            t.mesh:5:45: warning[MG411]: no path this route matches (/a/**) starts with "/b/", so this rewrite never applies
             5 |     route /a/** { to catalog rewrite prefix "/b/" => "/" }
               |                                             ^^^^^\
            """),
        row(
            "MG412",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { to catalog timeout 1s timeout 2s }
              }
            }
            """,
            """
            t.mesh:5:38: error[MG412]: duplicate `timeout` in this route; the first is at line 5
             5 |     route /a { to catalog timeout 1s timeout 2s }
               |                                      ^^^^^^^^^^\
            """));
  }

  /** Input limits (issue 9): generated inputs, too long or too repetitive for a text block. */
  static Stream<Arguments> inputLimitRows() {
    String tooManyLine = "@".repeat(DiagnosticLimit.PER_FILE + 1);
    String unexpected =
        java.util.stream.IntStream.rangeClosed(1, DiagnosticLimit.PER_FILE)
            .mapToObj(col ->
                "t.mesh:1:"
                    + col
                    + ": error[MG102]: unexpected character '@'\n 1 | "
                    + tooManyLine
                    + "\n   | "
                    + " ".repeat(col - 1)
                    + "^")
            .collect(Collectors.joining("\n\n"));
    return Stream.of(
        row(
            "MG104",
            "service a { source static 127.0.0.1:" + "9".repeat(65) + " }\n",
            "t.mesh:1:37: error[MG104]: number too long: 65 characters, at most 64 are allowed;"
                + " ports, status codes, retries and durations need a few digits\n"
                + " 1 | service a { source static 127.0.0.1:"
                + "9".repeat(65)
                + " }\n"
                + "   | "
                + " ".repeat(36)
                + "^".repeat(65)),
        row(
            "MG105",
            "service a " + "{".repeat(17) + "}".repeat(17) + "\n",
            "t.mesh:1:27: error[MG105]: blocks nested too deep: this '{' opens level 17, and a"
                + " policy never needs more than 3 (gateway { host { route { … } } }); look for a"
                + " missing '}'\n"
                + " 1 | service a "
                + "{".repeat(17)
                + "}".repeat(17)
                + "\n   | "
                + " ".repeat(26)
                + "^"),
        row(
            "MG308",
            """
            service a { source static 127.0.0.1:9101 }
            gateway edge { listen :8080 host "*" { route ~ "^/a{1001}$" { to a } } }
            """,
            """
            t.mesh:2:52: error[MG308]: invalid regex: RE2, which Envoy uses, rejects `{1001}`: invalid repeat count
             2 | gateway edge { listen :8080 host "*" { route ~ "^/a{1001}$" { to a } } }
               |                                                    ^\
            """),
        row(
            "MG308",
            "service a { source static 127.0.0.1:9101 }\n"
                + "gateway edge { listen :8080 host \"*\" { route ~ \"^/"
                + "(".repeat(1001)
                + "a"
                + ")".repeat(1001)
                + "$\" { to a } } }\n",
            "t.mesh:2:1051: error[MG308]: invalid regex: groups nested more than 1000 deep; RE2, which"
                + " Envoy uses, allows no more\n"
                + " 2 | …"
                + "(".repeat(41)
                + "a"
                + ")".repeat(76)
                + "…\n"
                + "   | "
                + " ".repeat(41)
                + "^"),
        row(
            "MG106",
            tooManyLine,
            unexpected
                + "\n\nt.mesh:1:101: error[MG106]: too many diagnostics in this file: not showing 1"
                + " more from here on; fix the first 100 and check again\n 1 | "
                + tooManyLine
                + "\n   | "
                + " ".repeat(100)
                + "^"));
  }

  /** MG107 comes from bytes, not text: a file read as UTF-8 that is not. */
  @Test
  void notUtf8RendersExactly() {
    byte[] latin1 =
        "service caf\u00e9 {\n  source static 127.0.0.1:1\n}\n"
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    assertThat(Compiler.compile(List.of(Source.decode("t.mesh", latin1))).diagnostics())
        .extracting(Diagnostic::render)
        .containsExactly(
            """
            t.mesh:1:12: error[MG107]: this file is not UTF-8 (byte 0xE9 here is not valid UTF-8); policy files must be UTF-8: re-save it as UTF-8, or convert it, for example with iconv -f ISO-8859-1 -t UTF-8
             1 | service caf\ufffd {
               |            ^\
            """);
  }

  /** Codes pinned by a test of their own rather than a row, because their input is not text. */
  static final Set<String> PINNED_APART = Set.of(Codes.NOT_UTF8);

  private static Arguments row(String code, String source, String rendered) {
    return Arguments.of(code, source, rendered);
  }

  /**
   * A row's expected text is one rendered diagnostic, or several separated by blank lines when the
   * code never comes alone (MG703 comes with MG214; an ignore without reason leaves the finding it
   * meant to silence).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void rendersExactly(String code, String source, String rendered) {
    List<Diagnostic> diagnostics =
        Compiler.compile(List.of(new Source("t.mesh", source))).diagnostics().stream()
            .filter(d ->
                UNUSED.contains(code)
                    || code.equals(Codes.IGNORE_MALFORMED)
                    || !UNUSED.contains(d.code()))
            .toList();

    assertThat(diagnostics).extracting(Diagnostic::render).containsExactly(rendered.split("\n\n"));
    assertThat(diagnostics).extracting(Diagnostic::code).contains(code);
  }

  /**
   * Every row shows the severity {@link Codes#WARNINGS} gives its code, which suppression relies
   * on.
   */
  @Test
  void severitiesAgreeWithCodes() {
    java.util.regex.Pattern header =
        java.util.regex.Pattern.compile("(error|warning)\\[(MG[0-9]+)\\]");
    rows()
        .forEach(a -> {
          var m = header.matcher((String) a.get()[2]);
          while (m.find()) {
            assertThat(Codes.WARNINGS.contains(m.group(2)))
                .as(m.group())
                .isEqualTo(m.group(1).equals("warning"));
          }
        });
  }

  @Test
  void everyCodeHasARow() {
    Set<String> pinned =
        rows().map(a -> (String) a.get()[0]).collect(Collectors.toCollection(TreeSet::new));
    pinned.addAll(PINNED_APART);

    assertThat(pinned).isEqualTo(allCodes());
  }

  @Test
  void everyCodeIsDocumented() throws java.io.IOException {
    java.nio.file.Path doc =
        java.nio.file.Path.of(
            System.getProperty("meshgate.project.root", ".."), "docs", "language.md");
    String text = java.nio.file.Files.readString(doc);

    assertThat(allCodes()).allSatisfy(code -> assertThat(text).contains("| " + code + " |"));
  }

  /** Every code constant declared in {@link Codes}. */
  static Set<String> allCodes() {
    return Arrays.stream(Codes.class.getFields())
        .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
        .map(DiagnosticsTest::value)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static String value(Field field) {
    try {
      return (String) field.get(null);
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }
}
