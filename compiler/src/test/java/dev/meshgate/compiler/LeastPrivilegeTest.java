package dev.meshgate.compiler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Least privilege by construction: a sidecar's resources hold only what it serves and the services
 * it may call. Adding 50 services it has nothing to do with (with sidecars, rules and calls among
 * themselves and towards its own callee, and `*` rules towards them) must leave its resources
 * byte-identical.
 */
class LeastPrivilegeTest {
  private static final String POLICY =
      """
      mesh shop {
        trust-domain "shop.example"
        mtls strict
        authz default deny
      }
      service catalog {
        source static 127.0.0.1:15101
        sidecar { inbound 127.0.0.1:15101 app 127.0.0.1:9101 }
      }
      service orders {
        source static 127.0.0.1:15201
        sidecar { inbound 127.0.0.1:15201 app 127.0.0.1:9201 outbound 127.0.0.1:15001 }
      }
      gateway edge {
        listen 127.0.0.1:10000
        host "*" { route /** { to orders } }
      }
      allow edge -> orders
      allow orders -> catalog GET /items/**
      call orders -> catalog { timeout 2s retry 2 }
      """;

  /** 50 services orders neither calls nor is called by. */
  private static String unrelated() {
    StringBuilder more = new StringBuilder();
    for (int i = 1; i <= 50; i++) {
      more.append("service extra-")
          .append(i)
          .append(" {\n")
          .append("  source static 127.0.0.1:")
          .append(16000 + i)
          .append('\n')
          .append("  sidecar { inbound 127.0.0.1:")
          .append(16000 + i)
          .append(" app 127.0.0.1:")
          .append(17000 + i)
          .append(" }\n")
          .append("}\n");
      int next = i % 50 + 1;
      more.append("allow extra-").append(i).append(" -> extra-").append(next).append('\n');
      more.append("call extra-")
          .append(i)
          .append(" -> extra-")
          .append(next)
          .append(" { timeout 1s }\n");
      more.append("allow extra-").append(i).append(" -> catalog\n");
      more.append("deny * -> extra-").append(i).append(" DELETE\n");
    }
    return more.toString();
  }

  private static CompiledPolicy compile(String... texts) {
    List<Source> sources = new java.util.ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      sources.add(new Source("policy-" + i + ".mesh", texts[i]));
    }
    Compilation compilation = Compiler.compile(sources);
    assertThat(compilation.diagnostics()).extracting(Diagnostic::render).isEmpty();
    return compilation.policy().orElseThrow();
  }

  @Test
  void unrelatedServicesLeaveASidecarByteIdentical() {
    CompiledPolicy small = compile(POLICY);
    CompiledPolicy large = compile(POLICY, unrelated());
    assertThat(large.groups()).hasSize(small.groups().size() + 50);

    ProxyGroup orders = ProxyGroup.sidecar("orders");
    String before = EnvoyOutput.json(small.group(orders).orElseThrow());
    String after = EnvoyOutput.json(large.group(orders).orElseThrow());

    assertThat(after).isEqualTo(before);
    // What orders may reach is there, and only that.
    assertThat(before).contains("\"catalog\"", "orders:outbound").doesNotContain("extra-");
    // The test can see a difference: catalog, which the new services may call, did change.
    ProxyGroup catalog = ProxyGroup.sidecar("catalog");
    assertThat(EnvoyOutput.json(large.group(catalog).orElseThrow()))
        .isNotEqualTo(EnvoyOutput.json(small.group(catalog).orElseThrow()));
  }

  @Test
  void aSidecarsCalleesAreItsCallsAndItsNamedAllowsOnly() {
    CompiledPolicy policy =
        compile(
            POLICY
                + "service reports {\n source static 127.0.0.1:15301\n sidecar { inbound :15301 app 127.0.0.1:9301 }\n}\n"
                + "allow * -> reports\n");
    ProxyResources orders = policy.group(ProxyGroup.sidecar("orders")).orElseThrow();

    assertThat(orders.clusters())
        .extracting(c -> c.getName())
        .containsExactly("catalog", "orders.app");
    assertThat(orders.identity()).contains("spiffe://shop.example/service/orders");
  }
}
