package dev.meshgate.compiler.ir;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Optional;

/**
 * gRPC at the gateway (issue 13): what a route does for clients that cannot speak gRPC themselves.
 *
 * @param json {@code grpc-json}: JSON requests transcoded into calls of these gRPC services
 * @param web {@code grpc-web}: gRPC-Web requests (browsers) turned into gRPC and back
 */
public record GrpcIr(Optional<JsonIr> json, boolean web) {
  /** A route without either. */
  public static final GrpcIr NONE = new GrpcIr(Optional.empty(), false);

  public boolean any() {
    return json.isPresent() || web;
  }

  /**
   * {@code grpc-json}: the descriptor set's bytes as read when the policy compiled (they go inline
   * into Envoy's config, so no proxy needs the file) and the services it transcodes.
   *
   * @param file the path as written in the policy (for the IR and messages)
   * @param descriptor the binary {@code FileDescriptorSet}
   * @param services fully qualified service names, as written, without repeats
   * @param options the print and query options, sorted by their policy word
   */
  public record JsonIr(
      String file, ByteString descriptor, List<String> services, List<Option> options) {
    public JsonIr {
      services = List.copyOf(services);
      options = List.copyOf(options);
    }

    public boolean has(Option option) {
      return options.contains(option);
    }
  }

  /** The options of {@code grpc-json}, by the word the policy writes. */
  public enum Option {
    ALWAYS_PRINT_ENUMS_AS_INTS("always-print-enums-as-ints"),
    ALWAYS_PRINT_PRIMITIVE_FIELDS("always-print-primitive-fields"),
    IGNORE_UNKNOWN_QUERY_PARAMETERS("ignore-unknown-query-parameters"),
    PRESERVE_PROTO_FIELD_NAMES("preserve-proto-field-names");

    private final String word;

    Option(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }

    public static Optional<Option> of(String word) {
      for (Option o : values()) {
        if (o.word.equals(word)) {
          return Optional.of(o);
        }
      }
      return Optional.empty();
    }
  }
}
