package dev.courier.codegen.model;

import java.math.BigDecimal;
import java.time.Duration;

/** Parses the duration strings of Courier's options: {@code "250ms"}, {@code "0.05s"}, {@code "1m"}. */
final class DurationText {
  private DurationText() {}

  /**
   * Parses {@code text}: a non-negative decimal number followed by {@code ns}, {@code us},
   * {@code ms}, {@code s}, {@code m} or {@code h}.
   *
   * @throws IllegalArgumentException with a message saying what is expected
   */
  static Duration parse(String text) {
    String t = text.trim();
    String[] units = {"ns", "us", "ms", "s", "m", "h"};
    long[] nanosPerUnit = {1L, 1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L, 3_600_000_000_000L};
    for (int i = 0; i < units.length; i++) {
      if (t.endsWith(units[i]) && !(units[i].equals("s") && (t.endsWith("ns") || t.endsWith("us") || t.endsWith("ms")))) {
        String number = t.substring(0, t.length() - units[i].length()).trim();
        BigDecimal value;
        try {
          value = new BigDecimal(number);
        } catch (NumberFormatException e) {
          break;
        }
        if (value.signum() < 0) {
          throw new IllegalArgumentException("\"" + text + "\" is negative (expected: a duration >= 0)");
        }
        return Duration.ofNanos(value.multiply(BigDecimal.valueOf(nanosPerUnit[i])).longValue());
      }
    }
    throw new IllegalArgumentException(
        "\"" + text + "\" is not a duration (expected: a number and a unit, such as \"250ms\", \"0.05s\", \"2s\", \"1m\")");
  }
}
