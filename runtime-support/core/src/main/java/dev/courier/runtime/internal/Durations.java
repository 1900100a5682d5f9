package dev.courier.runtime.internal;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * The duration text Courier reads everywhere: in {@code (courier.*)} options at build time and in
 * client properties at run time. A non-negative decimal number and a unit: {@code ns}, {@code us},
 * {@code ms}, {@code s}, {@code m} or {@code h} ({@code "250ms"}, {@code "0.05s"}, {@code "1m"}).
 */
public final class Durations {
  private static final String[] UNITS = {"ns", "us", "ms", "s", "m", "h"};
  private static final long[] NANOS_PER_UNIT =
      {1L, 1_000L, 1_000_000L, 1_000_000_000L, 60_000_000_000L, 3_600_000_000_000L};

  private Durations() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException quoting the text and saying what is expected
   */
  public static Duration parse(String text) {
    String t = text.strip();
    for (int i = 0; i < UNITS.length; i++) {
      String unit = UNITS[i];
      boolean longerUnit = unit.equals("s") && (t.endsWith("ns") || t.endsWith("us") || t.endsWith("ms"));
      if (!t.endsWith(unit) || longerUnit) {
        continue;
      }
      BigDecimal value;
      try {
        value = new BigDecimal(t.substring(0, t.length() - unit.length()).strip());
      } catch (NumberFormatException e) {
        break;
      }
      if (value.signum() < 0) {
        throw new IllegalArgumentException("\"" + text + "\" is negative (expected: a duration >= 0)");
      }
      try {
        return Duration.ofNanos(value.multiply(BigDecimal.valueOf(NANOS_PER_UNIT[i])).longValueExact());
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("\"" + text + "\" is too long (expected: at most 292 years)", e);
      }
    }
    throw new IllegalArgumentException(
        "\"" + text + "\" is not a duration (expected: a number and a unit, such as \"250ms\", \"0.05s\", \"2s\", \"1m\")");
  }
}
