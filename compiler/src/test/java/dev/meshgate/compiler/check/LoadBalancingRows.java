package dev.meshgate.compiler.check;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Pinned diagnostics of load balancing: hash policies, zones, load balancers (issue 14). */
final class LoadBalancingRows {
  private LoadBalancingRows() {}

  static final String SERVICE =
      """
      service catalog {
        source static 127.0.0.1:9101  load-balancer ring-hash
      }
      """;

  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of(
            "MG350",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  host "a" {
                    route /a { to catalog  hash-by cookie "a;b" ttl 1h }
                  }
                }
                """,
            """
            t.mesh:7:43: error[MG350]: cookie name "a;b" is not a valid cookie name (no spaces, controls or ( ) < > @ , ; : \\ " / [ ] ? = { }); use a word like "sticky"
             7 |     route /a { to catalog  hash-by cookie "a;b" ttl 1h }
               |                                           ^^^^^\
            """),
        Arguments.of(
            "MG351",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  host "a" {
                    route /a { to catalog  hash-by cookie "sticky" ttl 250ms }
                  }
                }
                """,
            """
            t.mesh:7:56: error[MG351]: a cookie lives whole seconds (its Max-Age), found 250ms; write seconds like 30s or 1h, or 0s for a session cookie
             7 |     route /a { to catalog  hash-by cookie "sticky" ttl 250ms }
               |                                                        ^^^^^\
            """),
        Arguments.of(
            "MG352",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  host "a" {
                    route /a { to catalog }
                    route /b { redirect 301 "/a"  hash-by source-ip }
                  }
                }
                """,
            """
            t.mesh:8:35: error[MG352]: `hash-by` picks the endpoint of a request forwarded with `to`, but this route does not forward; remove it
             8 |     route /b { redirect 301 "/a"  hash-by source-ip }
               |                                   ^^^^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG353",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  host "a" {
                    route /a { to catalog  hash-by header "x-user"  hash-by header "X-User" }
                  }
                }
                """,
            """
            t.mesh:7:53: error[MG353]: `hash-by header "X-User"` is written twice here (first at line 7); keep one
             7 |     route /a { to catalog  hash-by header "x-user"  hash-by header "X-User" }
               |                                                     ^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG354",
            SERVICE
                + """
                gateway edge {
                  listen :8080
                  zone " "
                  host "a" { route /a { to catalog } }
                }
                """,
            """
            t.mesh:6:8: error[MG354]: the zone of gateway "edge" is empty; write the zone its endpoints carry, like "eu-west-1a"
             6 |   zone " "
               |        ^^^\
            """),
        Arguments.of(
            "MG355",
            DiagnosticsTest.MESH
                + """
                service web {
                  source static 127.0.0.1:15301
                  sidecar { inbound :15301 app 127.0.0.1:9301 zone "a" zone "b" }
                }
                """,
            """
            t.mesh:11:56: error[MG355]: the sidecar of "web" already runs in zone "a" (line 11); a proxy is in one zone, keep one
             11 |   sidecar { inbound :15301 app 127.0.0.1:9301 zone "a" zone "b" }
                |                                                        ^^^^^^^^\
            """),
        Arguments.of(
            "MG356",
            """
            service catalog {
              source static 127.0.0.1:9101
              load-balancer least-requests
            }
            """,
            """
            t.mesh:3:17: error[MG356]: unknown load balancer "least-requests"; did you mean "least-request"?
             3 |   load-balancer least-requests
               |                 ^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG357",
            """
            service catalog {
              source static 127.0.0.1:9101
              load-balancer random
              slow-start 30s
            }
            """,
            """
            t.mesh:4:3: error[MG357]: service "catalog" uses load-balancer random, which Envoy cannot ramp up; slow-start needs round-robin or least-request
             4 |   slow-start 30s
               |   ^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG358",
            """
            service catalog {
              source static 127.0.0.1:9101
            }
            gateway edge {
              listen :8080
              host "a" { route /a { to catalog  hash-by header "x-user" } }
            }
            """,
            """
            t.mesh:6:37: warning[MG358]: `hash-by` has no effect towards service "catalog": it balances with round-robin (the default), which ignores hashes; write `load-balancer ring-hash` or `load-balancer maglev` in the service
             6 |   host "a" { route /a { to catalog  hash-by header "x-user" } }
               |                                     ^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG359",
            """
            service catalog {
              source static 127.0.0.1:9101
              load-balancer ring-hash { min-ring-size 2048 max-ring-size 1024 }
            }
            """,
            """
            t.mesh:3:29: error[MG359]: min-ring-size 2048 is above max-ring-size 1024; Envoy would reject it
             3 |   load-balancer ring-hash { min-ring-size 2048 max-ring-size 1024 }
               |                             ^^^^^^^^^^^^^^^^^^\
            """));
  }
}
