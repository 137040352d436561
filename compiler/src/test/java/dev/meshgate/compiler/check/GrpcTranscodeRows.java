package dev.meshgate.compiler.check;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Pinned diagnostics of gRPC transcoding and gRPC-Web (issue 13). The policies are named {@code
 * t.mesh} and the tests run in the module directory, so descriptor paths start there.
 */
final class GrpcTranscodeRows {
  private GrpcTranscodeRows() {}

  private static final String PROTOS = "src/test/resources/golden/grpc-transcode/protos/";

  private static String policy(String service, String route) {
    return """
    service greeter { source static 127.0.0.1:9500  protocol grpc }
    service site { source static 127.0.0.1:9600 }
    gateway edge {
      listen :8080
      host "a" {
        route /g/** {
    %s
          to %s
        }
      }
    }
    """
        .formatted(route, service);
  }

  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of(
            "MG480",
            policy(
                "greeter",
                "      grpc-json descriptor \"missing.pb\" services \"demo.greeter.Greeter\""),
            """
            t.mesh:7:28: error[MG480]: cannot read descriptor set "missing.pb" (missing.pb); it is read when the policy compiles, relative to the policy file: produce it with `protoc --include_imports --descriptor_set_out=FILE.pb FILE.proto`
             7 |       grpc-json descriptor "missing.pb" services "demo.greeter.Greeter"
               |                            ^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG481",
            policy(
                "greeter",
                "      grpc-json descriptor \""
                    + PROTOS
                    + "notes.txt\" services \"demo.greeter.Greeter\""),
            """
            t.mesh:7:28: error[MG481]: "src/test/resources/golden/grpc-transcode/protos/notes.txt" is not a binary FileDescriptorSet; produce one with `protoc --include_imports --descriptor_set_out=FILE.pb FILE.proto`
             7 |       grpc-json descriptor "src/test/resources/golden/grpc-transcode/protos/notes.txt" services "demo.greeter.Greeter"
               |                            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG482",
            policy(
                "greeter",
                "      grpc-json descriptor \""
                    + PROTOS
                    + "greeter.pb\" services \"demo.greeter.Greter\""),
            """
            t.mesh:7:98: error[MG482]: descriptor set "src/test/resources/golden/grpc-transcode/protos/greeter.pb" has no service "demo.greeter.Greter"; did you mean "demo.greeter.Greeter"? it declares "demo.greeter.Farewell", "demo.greeter.Greeter" (write the package too: "package.Service")
             7 |       grpc-json descriptor "src/test/resources/golden/grpc-transcode/protos/greeter.pb" services "demo.greeter.Greter"
               |                                                                                                  ^^^^^^^^^^^^^^^^^^^^^\
            """),
        Arguments.of(
            "MG483",
            policy("site", "      grpc-web"),
            """
            t.mesh:8:10: error[MG483]: `grpc-web` sends gRPC upstream, which needs HTTP/2, but service "site" speaks `protocol http`; declare `protocol grpc` in service "site"
             8 |       to site
               |          ^^^^\
            """),
        Arguments.of(
            "MG484",
            policy(
                "greeter",
                "      grpc-json descriptor \""
                    + PROTOS
                    + "greeter.pb\" services \"demo.greeter.Greeter\" pretty"),
            """
            t.mesh:7:121: error[MG484]: unknown grpc-json option "pretty"; the options are always-print-enums-as-ints, always-print-primitive-fields, ignore-unknown-query-parameters, preserve-proto-field-names
             7 | …pc-json descriptor "src/test/resources/golden/grpc-transcode/protos/greeter.pb" services "demo.greeter.Greeter" pretty
               |                                                                                                                  ^^^^^^\
            """),
        Arguments.of(
            "MG485",
            policy(
                "greeter",
                "      grpc-json descriptor \""
                    + PROTOS
                    + "greeter.pb\" services \"demo.greeter.Greeter\"\n"
                    + "      rewrite prefix \"/g/\" => \"/\""),
            """
            t.mesh:8:7: error[MG485]: `rewrite` cannot sit beside `grpc-json`: the transcoder sets the path to the gRPC method (/package.Service/Method), which a rewrite would break; match the REST paths as the descriptor's annotations write them and drop the rewrite
             8 |       rewrite prefix "/g/" => "/"
               |       ^^^^^^^^^^^^^^^^^^^^^^^^^^^\
            """));
  }
}
