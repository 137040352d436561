package dev.meshgate.compiler.setting;

import static dev.meshgate.compiler.setting.SettingCodes.*;

import dev.meshgate.compiler.ast.SizeLit;
import java.util.Optional;

/** The one check of a size ({@code 1024}, {@code 64kb}, {@code 1mb}) and its range (issue 13). */
public final class Sizes {
  private Sizes() {}

  /**
   * Reports (and returns empty) a size whose unit is unknown or that lies outside {@code [min,
   * max]} bytes; {@code what} names it in the message ("min-size", "max-request-body").
   */
  public static Optional<Long> check(
      SizeLit size, String what, long min, long max, Reporter reporter) {
    Optional<Long> bytes = size.bytes();
    if (bytes.isEmpty() && !SizeLit.UNITS.containsKey(size.unit())) {
      reporter.error(
          INVALID_SIZE,
          size,
          "unknown size unit \""
              + size.unit()
              + "\" in "
              + size.text()
              + "; write bytes like 1024, or b, kb or mb like 512b, 64kb or 1mb (1kb = 1024 bytes)");
      return Optional.empty();
    }
    if (bytes.isEmpty() || bytes.get() < min || bytes.get() > max) {
      reporter.error(
          SIZE_OUT_OF_RANGE,
          size,
          what
              + " "
              + size.text()
              + " is out of range; it takes "
              + show(min)
              + " to "
              + show(max));
      return Optional.empty();
    }
    return bytes;
  }

  /** Bytes as the policy would write them: "1kb", "8mb", "30 bytes". */
  static String show(long bytes) {
    if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
      return bytes / (1 << 20) + "mb";
    }
    if (bytes >= 1024 && bytes % 1024 == 0) {
      return bytes / 1024 + "kb";
    }
    return bytes == 1 ? "1 byte" : bytes + " bytes";
  }

  /** Where a size check reports. */
  public interface Reporter {
    void error(String code, SizeLit size, String message);
  }
}
