package dev.meshgate.examples;

import dev.meshgate.compiler.ProxyResources;
import dev.meshgate.compiler.ir.PolicyIr;
import dev.meshgate.compiler.testing.HandBuiltIr;
import dev.meshgate.compiler.translate.EnvoyTranslator;
import org.junit.jupiter.api.Test;

/**
 * Every translated feature (all path kinds, methods, header and query conditions, split, retry,
 * timeout, rewrite, redirects to a path and to a URL, direct responses with and without a body,
 * header mutations, HTTP/2 and gRPC clusters), from IR built by hand, must be accepted by a real
 * Envoy. Independent of the parser, so a translation bug is caught on its own.
 */
class TranslationEnvoyTest {

  @Test
  void envoyAcceptsEveryFeature() throws Exception {
    PolicyIr ir = HandBuiltIr.allFeatures();
    Envoy envoy = Envoy.require();
    for (ProxyResources group : EnvoyTranslator.translate(ir)) {
      envoy.assertAccepts(
          "hand-built-ir-" + group.group().fileStem(), StaticBootstrap.json(group, ir));
    }
  }
}
