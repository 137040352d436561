package dev.meshgate.xds;

import com.google.common.collect.MapMaker;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.UnsafeByteOperations;
import io.envoyproxy.controlplane.cache.Resources.ApiVersion;
import io.envoyproxy.controlplane.server.serializer.ProtoResourcesSerializer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentMap;

/**
 * Every resource packed into its {@code Any} once, when its group's snapshot is built (issue 17.2),
 * and looked up by identity on every push: no protobuf work per proxy.
 *
 * <p>java-control-plane packs the resources of each response it sends, per stream. Its {@code
 * CachedProtoResourcesSerializer} caches by {@code Message.equals}, so each lookup of a freshly
 * built resource compares it field by field with the one first cached (a deep walk of every route
 * and endpoint, per resource, per proxy, per push). Here the key is the instance the snapshot holds
 * (weak keys compare by identity; an entry goes when no snapshot holds its resource any more), and
 * the value is built from the deterministic bytes {@link TypedResources} already wrote to hash the
 * resource. The type URL is stored as bytes, so writing a response copies it instead of encoding it
 * again.
 */
final class PackedResources implements ProtoResourcesSerializer {
  private static final String TYPE_URL_PREFIX = "type.googleapis.com/";

  /** A resource's packed form and the content hash of its bytes (its version). */
  private record Packed(Any any, String contentHash) {}

  private static final ConcurrentMap<Message, Packed> PACKED =
      new MapMaker().weakKeys().concurrencyLevel(4).makeMap();

  private static final ConcurrentMap<String, ByteString> TYPE_URLS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The content hash of {@code resource}'s deterministic bytes ({@link ContentHash}), which packs
   * it for every later push the first time this instance is seen: a resource a later snapshot holds
   * again (an unchanged cluster, an interned load assignment) is neither written nor hashed again.
   */
  static String contentHash(Message resource) {
    return registered(resource).contentHash();
  }

  /** The packed form of {@code resource}: registered when its snapshot was built, else now. */
  static Any packed(Message resource) {
    return registered(resource).any();
  }

  private static Packed registered(Message resource) {
    Packed packed = PACKED.get(resource);
    if (packed != null) {
      return packed;
    }
    byte[] bytes = ContentHash.deterministicBytes(resource);
    Any any =
        Any.newBuilder()
            .setTypeUrlBytes(typeUrl(resource))
            .setValue(UnsafeByteOperations.unsafeWrap(bytes))
            .build();
    Packed created = new Packed(any, ContentHash.ofBytes(bytes));
    Packed previous = PACKED.putIfAbsent(resource, created);
    return previous == null ? created : previous;
  }

  @Override
  public Any serialize(Message resource, ApiVersion apiVersion) {
    return packed(resource);
  }

  @Override
  public Collection<Any> serialize(Collection<? extends Message> resources, ApiVersion apiVersion) {
    List<Any> packed = new ArrayList<>(resources.size());
    for (Message resource : resources) {
      packed.add(packed(resource));
    }
    return packed;
  }

  private static ByteString typeUrl(Message resource) {
    return TYPE_URLS.computeIfAbsent(
        resource.getDescriptorForType().getFullName(),
        name -> ByteString.copyFromUtf8(TYPE_URL_PREFIX + name));
  }
}
