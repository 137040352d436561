package dev.meshgate.compiler.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshgate.compiler.Compiler;
import dev.meshgate.compiler.Diagnostic;
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
 * Pins the exact text of every diagnostic the compiler can emit: one row per code (and per
 * message variant), input → the one diagnostic it produces, rendered. A wording change must
 * show up here, in review, on purpose.
 */
class DiagnosticsTest {

  static Stream<Arguments> rows() {
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
            t.mesh:5:35: error[MG101]: expected a duration like 250ms or 2s, found '2'
             5 |     route /a { to catalog timeout 2 }
               |                                   ^"""),
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
               |           ^^^^"""),
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
            t.mesh:5:28: error[MG101]: expected 'route' or '}', found end of file; a block opened with '{' is not closed
             5 |     route /a { to catalog }
               |                            ^"""),
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
               |                             ^"""),
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
               |                                    ^^^^^"""),
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
            t.mesh:5:19: error[MG201]: unknown service "catalg"; declared services: catalog
             5 |     route /a { to catalg }
               |                   ^^^^^^"""),
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
               |                           ^^"""),
        row(
            "MG203",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            service catalog { source static 127.0.0.1:9102 }
            """,
            """
            t.mesh:2:9: error[MG203]: duplicate service "catalog"; it is first declared at line 1
             2 | service catalog { source static 127.0.0.1:9102 }
               |         ^^^^^^^"""),
        row(
            "MG204",
            """
            gateway edge { listen :8080 host "*" { } }
            gateway edge { listen :8081 host "*" { } }
            """,
            """
            t.mesh:2:9: error[MG204]: duplicate gateway "edge"; it is first declared at line 1
             2 | gateway edge { listen :8081 host "*" { } }
               |         ^^^^"""),
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
               |          ^^"""),
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
               |        ^^^^^^^^^^^"""),
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
               |                    ^^^^"""),
        row(
            "MG208",
            """
            service Catalog { source static 127.0.0.1:9101 }
            """,
            """
            t.mesh:1:9: error[MG208]: invalid service name "Catalog"; names use lower-case letters, digits and '-', and start with a letter
             1 | service Catalog { source static 127.0.0.1:9101 }
               |         ^^^^^^^"""),
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
               |         ^^^^^^^"""),
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
               |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^"""),
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
               |         ^^^^"""),
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
               |         ^^^^"""),
        row(
            "MG213",
            """
            service catalog {
              source kubernetes "shop/catalog" port http
            }
            """,
            """
            t.mesh:2:3: error[MG213]: `source kubernetes` is not supported yet; list the endpoints with `source static ADDRESS:PORT, …` for now
             2 |   source kubernetes "shop/catalog" port http
               |   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^"""),
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
               |          ^^"""),
        row(
            "MG301",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { to catalog timeout 2h }
              }
            }
            """,
            """
            t.mesh:5:35: error[MG301]: unknown duration unit "h" in 2h; use ms, s or m, like 250ms, 2s or 1m
             5 |     route /a { to catalog timeout 2h }
               |                                   ^^"""),
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
               |                                   ^^^"""),
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
               |                                   ^^^^^^^^"""),
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
               |           ^"""),
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
               |                        ^^"""),
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
               |                         ^^^"""),
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
               |                                 ^^"""),
        row(
            "MG307",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { to catalog retry 3 on 503 }
              }
            }
            """,
            """
            t.mesh:5:38: error[MG307]: unknown retry condition "503"; valid conditions: 5xx, gateway-error, reset, connect-failure, retriable-4xx, refused-stream
             5 |     route /a { to catalog retry 3 on 503 }
               |                                      ^^^"""),
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
               |                                             ^^^^^"""),
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
               |                  ^"""),
        row(
            "MG309",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a when header "X-Canary" = "1" { to catalog }
              }
            }
            """,
            """
            t.mesh:5:26: error[MG309]: invalid header name "X-Canary"; header names are written in lower case: "x-canary"
             5 |     route /a when header "X-Canary" = "1" { to catalog }
               |                          ^^^^^^^^^^"""),
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
               |            ^^^^^"""),
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
               |               ^^^"""),
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
               |           ^^^^^^"""),
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
               |        ^^^^^^^^^^^^^^^^^^^"""),
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
               |          ^^^^^^^^^^"""),
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
               |                             ^^^"""),
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
               |                                             ^^^^"""),
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
            t.mesh:5:46: error[MG317]: header "host" cannot be changed by a route: Envoy rejects changes to host and to ':' pseudo-headers
             5 |     route /a { to catalog set request-header "host" = "b" }
               |                                              ^^^^^^"""),
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
               |                         ^^"""),
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
               |                                 ^^^^^^^^^"""),
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
               |     ^^^^^^^^"""),
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
               |                           ^^^^^^^^^^^"""),
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
               |                            ^^^^^^^^^^"""),
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
               |                ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^"""),
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
               |                                ^^^^^^^^^^"""),
        row(
            "MG406",
            """
            service catalog { source static 127.0.0.1:9101 labels version=v1  subset v1 where version = "v1" }
            gateway edge {
              listen :8080
              host "*" {
                route /a { to catalog 100%, catalog.v1 0% }
              }
            }
            """,
            """
            t.mesh:5:44: error[MG406]: weight 0% sends no traffic to "catalog.v1"; remove the target instead
             5 |     route /a { to catalog 100%, catalog.v1 0% }
               |                                            ^^"""),
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
               |                                   ^^^^^^^^^^^^^^"""),
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
               |     ^^^^^^^^^^^^"""),
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
               |     ^^^^^^^^"""),
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
            t.mesh:5:38: warning[MG410]: retries can take 3 × 500ms = 1500ms, longer than the route timeout of 1s, so the last retries would be cut off
             5 |     route /a { to catalog timeout 1s retry 3 per-try 500ms }
               |                                      ^^^^^^^^^^^^^^^^^^^^^"""),
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
               |                                             ^^^^^"""),
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
               |                                      ^^^^^^^^^^"""));
  }

  private static Arguments row(String code, String source, String rendered) {
    return Arguments.of(code, source, rendered);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void rendersExactly(String code, String source, String rendered) {
    List<Diagnostic> diagnostics = Compiler.compile(List.of(new Source("t.mesh", source))).diagnostics();

    assertThat(diagnostics).extracting(Diagnostic::render).containsExactly(rendered);
    assertThat(diagnostics.get(0).code()).isEqualTo(code);
  }

  @Test
  void everyCodeHasARow() {
    Set<String> pinned = rows().map(a -> (String) a.get()[0]).collect(Collectors.toCollection(TreeSet::new));

    assertThat(pinned).isEqualTo(allCodes());
  }

  @Test
  void everyCodeIsDocumented() throws java.io.IOException {
    java.nio.file.Path doc =
        java.nio.file.Path.of(System.getProperty("meshgate.project.root", ".."), "docs", "language.md");
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
