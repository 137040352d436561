package dev.meshgate.xds;

import com.google.protobuf.ByteString;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor.Marshaller;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A response already encoded, as gRPC writes it: drained straight into its transport buffers (no
 * intermediate array), the frame sized from {@link KnownLength}.
 */
final class Encoded extends InputStream implements Drainable, KnownLength {
  private final ByteString bytes;
  private @Nullable InputStream reading; // only if gRPC reads instead of draining
  private boolean drained;

  private Encoded(ByteString bytes) {
    this.bytes = bytes;
  }

  /** A marshaller that only writes: the server never reads what it sends. */
  static <T> Marshaller<T> marshaller(Function<T, ByteString> bytes) {
    return new Marshaller<>() {
      @Override
      public InputStream stream(T response) {
        return new Encoded(bytes.apply(response));
      }

      @Override
      public T parse(InputStream stream) {
        throw new UnsupportedOperationException("responses are only written");
      }
    };
  }

  @Override
  public int drainTo(OutputStream target) throws IOException {
    if (reading != null || drained) {
      return (int) reading().transferTo(target);
    }
    drained = true;
    bytes.writeTo(target);
    return bytes.size();
  }

  private InputStream reading() {
    if (reading == null) {
      reading = drained ? InputStream.nullInputStream() : bytes.newInput();
    }
    return reading;
  }

  @Override
  public int read() throws IOException {
    return reading().read();
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    return reading().read(b, off, len);
  }

  @Override
  public int available() throws IOException {
    return reading == null ? (drained ? 0 : bytes.size()) : reading.available();
  }
}
