package dev.meshgate.xds;

import com.google.common.collect.MapMaker;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.MethodDescriptor.Marshaller;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;

/**
 * Delta responses as bytes (issue 17.2). What a delta proxy is sent depends on what it holds, so
 * responses are shared at two levels: each {@code Resource} entry (name, version, the packed
 * resource) is encoded once per resource instance and kept as long as a snapshot holds that
 * instance, as a rope over the bytes {@link PackedResources} holds; and an {@link Answer} (the
 * response but its nonce) once per stream state and snapshot, for every stream of the group in that
 * state ({@link AdsGroups#delta}). A stream adds only its nonce.
 *
 * <p>Fields are written in field-number order, as protobuf writes them, so a response is byte for
 * byte the {@code DeltaDiscoveryResponse} java-control-plane sent.
 */
final class DeltaResponses {
  private static final int SYSTEM_VERSION_INFO =
      DeltaDiscoveryResponse.SYSTEM_VERSION_INFO_FIELD_NUMBER;
  private static final int RESOURCES = DeltaDiscoveryResponse.RESOURCES_FIELD_NUMBER;
  private static final int TYPE_URL = DeltaDiscoveryResponse.TYPE_URL_FIELD_NUMBER;
  private static final int NONCE = DeltaDiscoveryResponse.NONCE_FIELD_NUMBER;
  private static final int REMOVED_RESOURCES =
      DeltaDiscoveryResponse.REMOVED_RESOURCES_FIELD_NUMBER;

  /** One resource's entry, with the version it was encoded at (a resource has one). */
  private record Entry(String version, ByteString bytes) {}

  /** By resource instance (weak keys compare by identity): gone with the last snapshot of it. */
  private static final ConcurrentMap<Message, Entry> ENTRIES =
      new MapMaker().weakKeys().concurrencyLevel(4).makeMap();

  private static final Map<XdsType, ByteString> TYPE_URLS = typeUrls();

  private DeltaResponses() {}

  /** What one stream is sent: a whole {@code DeltaDiscoveryResponse}, as gRPC writes it. */
  record Response(ByteString bytes) {
    int size() {
      return bytes.size();
    }
  }

  static final Marshaller<Response> MARSHALLER = Encoded.marshaller(Response::bytes);

  /** The {@code resources} field carrying {@code resource} as {@code name}: encoded once. */
  static ByteString entry(String name, VersionedResource<?> resource) {
    Message message = resource.resource();
    String version = resource.version();
    Entry entry = ENTRIES.get(message);
    if (entry != null && (entry.version() == version || entry.version().equals(version))) {
      return entry.bytes();
    }
    ByteString bytes = encode(name, version, PackedResources.packed(message));
    if (entry == null) {
      ENTRIES.putIfAbsent(message, new Entry(version, bytes));
    }
    return bytes;
  }

  private static ByteString encode(String name, String version, Any any) {
    ByteString versionBytes = ByteString.copyFromUtf8(version);
    ByteString nameBytes = ByteString.copyFromUtf8(name);
    ByteString typeUrl = any.getTypeUrlBytes();
    ByteString value = any.getValue();
    int anySize =
        AdsBody.fieldSize(Any.TYPE_URL_FIELD_NUMBER, typeUrl.size())
            + AdsBody.fieldSize(Any.VALUE_FIELD_NUMBER, value.size());
    int resourceSize =
        (version.isEmpty()
                ? 0
                : AdsBody.fieldSize(Resource.VERSION_FIELD_NUMBER, versionBytes.size()))
            + AdsBody.fieldSize(Resource.RESOURCE_FIELD_NUMBER, anySize)
            + (name.isEmpty()
                ? 0
                : AdsBody.fieldSize(Resource.NAME_FIELD_NUMBER, nameBytes.size()));
    // Everything up to the resource's value, then the value (shared), then the name.
    byte[] head =
        new byte
            [CodedOutputStream.computeTagSize(RESOURCES)
                + CodedOutputStream.computeUInt32SizeNoTag(resourceSize)
                + resourceSize
                - value.size()
                - (name.isEmpty()
                    ? 0
                    : AdsBody.fieldSize(Resource.NAME_FIELD_NUMBER, nameBytes.size()))];
    try {
      CodedOutputStream out = CodedOutputStream.newInstance(head);
      out.writeTag(RESOURCES, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(resourceSize);
      if (!version.isEmpty()) {
        out.writeBytes(Resource.VERSION_FIELD_NUMBER, versionBytes);
      }
      out.writeTag(Resource.RESOURCE_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(anySize);
      out.writeBytes(Any.TYPE_URL_FIELD_NUMBER, typeUrl);
      out.writeTag(Any.VALUE_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(value.size());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // an array of the computed size cannot overflow
    }
    ByteString entry = UnsafeByteOperations.unsafeWrap(head).concat(value);
    return name.isEmpty()
        ? entry
        : entry.concat(AdsBody.field(Resource.NAME_FIELD_NUMBER, nameBytes));
  }

  /**
   * What a stream in one state is sent from one snapshot, and its state after: the same for every
   * stream of the group in that state, so computed once for them ({@link AdsGroups#delta}).
   *
   * @param held what the proxy holds once sent this (the same instance when nothing changes)
   * @param changes whether there is anything to send
   * @param noneOfType whether the group has no resources of the type
   * @param head the response up to its nonce: version, entries and type URL
   * @param tail the removed names, after the nonce
   */
  record Answer(
      String version,
      Map<String, String> held,
      boolean changes,
      boolean noneOfType,
      ByteString head,
      ByteString tail) {

    /** This answer with the instance of its held map the group shares. */
    Answer holding(Map<String, String> shared) {
      return new Answer(version, shared, changes, noneOfType, head, tail);
    }

    /** The whole response, with a stream's nonce. */
    Response withNonce(String nonce) {
      return new Response(
          head.concat(AdsBody.field(NONCE, ByteString.copyFromUtf8(nonce))).concat(tail));
    }
  }

  /**
   * What a proxy holding {@code held} and subscribed to {@code names} (or all, {@code wildcard}) is
   * sent from {@code resources} at {@code version}: what it lacks at the group's version, and, as
   * removed, what it holds that is gone.
   */
  static Answer answer(
      XdsType type,
      boolean wildcard,
      Set<String> names,
      Map<String, String> held,
      Map<String, VersionedResource<?>> resources,
      String version) {
    List<ByteString> pieces = new ArrayList<>();
    Map<String, String> after = new HashMap<>(held);
    if (!version.isEmpty()) {
      pieces.add(AdsBody.field(SYSTEM_VERSION_INFO, ByteString.copyFromUtf8(version)));
    }
    if (wildcard) { // every resource of the type: the names subscribed are among them
      resources.forEach((name, resource) -> lacks(name, resource, after, pieces));
    } else {
      for (String name : names) {
        VersionedResource<?> resource = resources.get(name);
        if (resource != null) {
          lacks(name, resource, after, pieces);
        }
      }
    }
    boolean sends = pieces.size() > (version.isEmpty() ? 0 : 1);
    pieces.add(TYPE_URLS.get(type));
    List<ByteString> removed = new ArrayList<>();
    for (String name : held.keySet()) {
      if (!resources.containsKey(name)) {
        removed.add(AdsBody.field(REMOVED_RESOURCES, ByteString.copyFromUtf8(name)));
        after.remove(name);
      }
    }
    boolean changes = sends || !removed.isEmpty();
    return new Answer(
        version,
        changes ? Map.copyOf(after) : held,
        changes,
        resources.isEmpty(),
        ByteString.copyFrom(pieces), // a rope: the entries are not copied
        ByteString.copyFrom(removed));
  }

  private static void lacks(
      String name,
      VersionedResource<?> resource,
      Map<String, String> after,
      List<ByteString> pieces) {
    String version = resource.version();
    String had = after.put(name, version);
    if (had == null || !had.equals(version)) {
      pieces.add(entry(name, resource));
    }
  }

  private static Map<XdsType, ByteString> typeUrls() {
    Map<XdsType, ByteString> urls = new EnumMap<>(XdsType.class);
    for (XdsType type : XdsType.values()) {
      urls.put(type, AdsBody.field(TYPE_URL, ByteString.copyFromUtf8(type.typeUrl())));
    }
    return Map.copyOf(urls);
  }
}
