package dev.meshgate.compiler.simulate;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Shares print as "10" or "33.33", never "10.0". */
final class Percent {
  private Percent() {}

  static String format(double percent) {
    BigDecimal value =
        BigDecimal.valueOf(percent).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros();
    return value.scale() < 0 ? value.setScale(0).toPlainString() : value.toPlainString();
  }

  /** Two shares are the same when they agree to a hundredth of a percent. */
  static boolean same(double a, double b) {
    return Math.abs(a - b) < 0.005;
  }
}
