package dev.meshgate.xds;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.MethodDescriptor.Marshaller;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A state-of-the-world {@code DiscoveryResponse} without its nonce, encoded once per group, type,
 * requested names and version, and written as is to every stream that gets it (issue 17.2): a push
 * to a thousand proxies of a group serializes nothing a thousand times.
 *
 * <p>The encoding is a rope over the bytes {@link PackedResources} already holds for each resource
 * (only the few bytes of each field's tag and length are new), so a body costs almost no memory
 * beside the snapshot it was built from. Protobuf parsers accept fields in any order, so each
 * stream's nonce goes after the body as one more field.
 *
 * @param type the resources' type
 * @param version the response's {@code version_info}
 * @param source the snapshot's resource map this body was built from (compared by identity)
 * @param names the names of the resources it carries (what an ACK of it acknowledges)
 */
record AdsBody(
    XdsType type,
    String version,
    Map<String, VersionedResource<?>> source,
    Set<String> names,
    ByteString bytes) {

  private static final int VERSION_INFO = DiscoveryResponse.VERSION_INFO_FIELD_NUMBER;
  private static final int RESOURCES = DiscoveryResponse.RESOURCES_FIELD_NUMBER;
  private static final int TYPE_URL = DiscoveryResponse.TYPE_URL_FIELD_NUMBER;
  private static final int NONCE = DiscoveryResponse.NONCE_FIELD_NUMBER;

  /**
   * The answer to a request for {@code requested} (empty: all of them) among {@code resources}, in
   * the order java-control-plane answered: the snapshot's order for all, the request's for names.
   * Names the snapshot lacks are left out (the caller waits for them first).
   */
  static AdsBody of(
      XdsType type,
      List<String> requested,
      Map<String, VersionedResource<?>> resources,
      String version) {
    List<ByteString> pieces = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>();
    if (!version.isEmpty()) { // as protobuf writes it: proto3 leaves empty strings out
      pieces.add(field(VERSION_INFO, ByteString.copyFromUtf8(version)));
    }
    if (requested.isEmpty()) {
      resources.forEach((name, resource) -> add(pieces, names, name, resource));
    } else {
      for (String name : requested) {
        VersionedResource<?> resource = resources.get(name);
        if (resource != null && !names.contains(name)) {
          add(pieces, names, name, resource);
        }
      }
    }
    pieces.add(field(TYPE_URL, ByteString.copyFromUtf8(type.typeUrl())));
    return new AdsBody(type, version, resources, Set.copyOf(names), ByteString.copyFrom(pieces));
  }

  private static void add(
      List<ByteString> pieces, Set<String> names, String name, VersionedResource<?> resource) {
    Any any = PackedResources.packed(resource.resource());
    ByteString typeUrl = any.getTypeUrlBytes();
    ByteString value = any.getValue();
    // The Any's own fields (type_url = 1, value = 2), inside the response's resources field.
    int typeUrlField = fieldSize(Any.TYPE_URL_FIELD_NUMBER, typeUrl.size());
    int valueField = fieldSize(Any.VALUE_FIELD_NUMBER, value.size());
    byte[] header =
        new byte
            [CodedOutputStream.computeTagSize(RESOURCES)
                + CodedOutputStream.computeUInt32SizeNoTag(typeUrlField + valueField)
                + typeUrlField
                + valueField
                - value.size()];
    CodedOutputStream out = CodedOutputStream.newInstance(header);
    try {
      out.writeTag(RESOURCES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(typeUrlField + valueField);
      out.writeBytes(Any.TYPE_URL_FIELD_NUMBER, typeUrl); // small: the header copies it
      out.writeTag(Any.VALUE_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(value.size());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array of the computed size cannot overflow
    }
    pieces.add(UnsafeByteOperations.unsafeWrap(header)); // written once, never changed
    pieces.add(value); // shared, not copied
    names.add(name);
  }

  static int fieldSize(int field, int length) {
    return CodedOutputStream.computeTagSize(field)
        + CodedOutputStream.computeUInt32SizeNoTag(length)
        + length;
  }

  /**
   * One length-delimited field, in an array of its exact size: a stream's nonce costs a few bytes,
   * not the buffer a {@code CodedOutputStream} over a stream would allocate.
   */
  static ByteString field(int field, ByteString value) {
    byte[] bytes = new byte[fieldSize(field, value.size())];
    try {
      CodedOutputStream.newInstance(bytes).writeBytes(field, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // an array of the computed size cannot overflow
    }
    return UnsafeByteOperations.unsafeWrap(bytes); // written once, never changed
  }

  /** This body with a stream's {@code nonce}: one whole {@code DiscoveryResponse}. */
  Response withNonce(String nonce) {
    return new Response(
        this, bytes.concat(field(NONCE, ByteString.copyFrom(nonce, StandardCharsets.UTF_8))));
  }

  /** What one stream is sent: the shared body and its nonce, as gRPC writes it. */
  record Response(AdsBody body, ByteString bytes) {
    int size() {
      return bytes.size();
    }
  }

  /** Writes a {@link Response}'s bytes (a {@code DiscoveryResponse} to whoever reads them). */
  static final Marshaller<Response> MARSHALLER = Encoded.marshaller(Response::bytes);
}
