package dev.meshgate.compiler.translate;

import com.google.protobuf.Duration;

/** java.time durations as protobuf durations. */
final class ProtoDurations {
  private ProtoDurations() {}

  static Duration of(java.time.Duration duration) {
    return Duration.newBuilder()
        .setSeconds(duration.getSeconds())
        .setNanos(duration.getNano())
        .build();
  }
}
