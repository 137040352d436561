package dev.meshgate.cli;

/** Small policies for CLI tests; the language itself is tested in the compiler. */
final class TestPolicies {
  private TestPolicies() {}

  static final String GOOD =
      """
      service catalog {
        source static 127.0.0.1:9101 labels version=v1, 127.0.0.1:9102 labels version=v2
        subset v1 where version = "v1"
        subset v2 where version = "v2"
      }

      gateway edge {
        listen 127.0.0.1:10000
        host "api.example" {
          route /healthz { respond 200 "ok" }
          route /catalog/** { to catalog.v1 90%, catalog.v2 10% }
        }
      }
      """;

  static final String OTHER_GATEWAY =
      """
      gateway admin {
        listen 127.0.0.1:10001
        host "*" {
          route /** { to catalog }
        }
      }
      """;

  /** One unknown service reference: exactly one MG201 at 7:28. */
  static final String BAD =
      """
      service catalog {
        source static 127.0.0.1:9101
      }
      gateway edge {
        listen 127.0.0.1:10000
        host "*" {
          route /catalog/** { to catalg }
        }
      }
      """;
}
