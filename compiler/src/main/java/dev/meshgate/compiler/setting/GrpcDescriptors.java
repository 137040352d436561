package dev.meshgate.compiler.setting;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.meshgate.compiler.ast.StringLit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * gRPC transcoding (issue 13): the descriptor set a {@code grpc-json} names, read when the policy
 * compiles (relative to the policy file, like error bodies) and proven whole here, with
 * protobuf-java's own descriptor builder, so that Envoy never gets one it would refuse.
 */
final class GrpcDescriptors {
  /** What {@code protoc} writes with the flags Envoy's transcoder needs. */
  static final String PROTOC = "protoc --include_imports --descriptor_set_out=FILE.pb FILE.proto";

  private GrpcDescriptors() {}

  /** A descriptor set that was read and understood, or why not. */
  sealed interface Read {
    /** The bytes as read, and the fully qualified services it declares, sorted. */
    record Ok(ByteString bytes, List<String> services) implements Read {}

    /** {@code code}: MG480 (cannot read) or MG481 (not a whole descriptor set). */
    record Failed(String code, String message) implements Read {}
  }

  static Read read(StringLit written) {
    // normalized, so "../x.pb" from a policy named "a/p.mesh" needs no directory "a" where it runs
    Path path = ErrorBodies.resolve(written).normalize();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (IOException | RuntimeException e) {
      return new Read.Failed(
          SettingCodes.GRPC_DESCRIPTOR_FILE,
          "cannot read descriptor set \""
              + written.value()
              + "\" ("
              + path
              + "); it is read when the policy compiles, relative to the policy file: produce it"
              + " with `"
              + PROTOC
              + "`");
    }
    if (looksLikeProtoSource(written.value(), bytes)) {
      return new Read.Failed(
          SettingCodes.GRPC_DESCRIPTOR_INVALID,
          "\""
              + written.value()
              + "\" is a .proto source, not a descriptor set; compile it with `"
              + PROTOC
              + "` and name the .pb file");
    }
    FileDescriptorSet set;
    try {
      set = FileDescriptorSet.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      return notASet(written);
    }
    if (set.getFileCount() == 0 || !set.getUnknownFields().asMap().isEmpty()) {
      return notASet(written);
    }
    Map<String, Descriptors.FileDescriptor> built = new HashMap<>();
    TreeSet<String> services = new TreeSet<>();
    for (FileDescriptorProto file : set.getFileList()) {
      List<Descriptors.FileDescriptor> deps = new ArrayList<>();
      for (String dep : file.getDependencyList()) {
        Descriptors.FileDescriptor d = built.get(dep);
        if (d == null) {
          return new Read.Failed(
              SettingCodes.GRPC_DESCRIPTOR_INVALID,
              "descriptor set \""
                  + written.value()
                  + "\" lacks \""
                  + dep
                  + "\", which \""
                  + file.getName()
                  + "\" imports; Envoy needs every import: run protoc with --include_imports");
        }
        deps.add(d);
      }
      try {
        Descriptors.FileDescriptor fd =
            Descriptors.FileDescriptor.buildFrom(
                file, deps.toArray(Descriptors.FileDescriptor[]::new));
        built.put(file.getName(), fd);
        fd.getServices().forEach(s -> services.add(s.getFullName()));
      } catch (Descriptors.DescriptorValidationException e) {
        return new Read.Failed(
            SettingCodes.GRPC_DESCRIPTOR_INVALID,
            "descriptor set \""
                + written.value()
                + "\" is not valid: "
                + e.getMessage()
                + "; produce it again with `"
                + PROTOC
                + "`");
      }
    }
    return new Read.Ok(ByteString.copyFrom(bytes), List.copyOf(services));
  }

  private static Read notASet(StringLit written) {
    return new Read.Failed(
        SettingCodes.GRPC_DESCRIPTOR_INVALID,
        "\""
            + written.value()
            + "\" is not a binary FileDescriptorSet; produce one with `"
            + PROTOC
            + "`");
  }

  /** A {@code .proto} file named by mistake: say what to run instead of "not a descriptor set". */
  private static boolean looksLikeProtoSource(String written, byte[] bytes) {
    if (written.endsWith(".proto")) {
      return true;
    }
    String head =
        new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.UTF_8).stripLeading();
    return head.startsWith("syntax") || head.startsWith("edition");
  }
}
