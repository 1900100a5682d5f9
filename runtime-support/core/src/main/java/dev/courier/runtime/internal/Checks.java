package dev.courier.runtime.internal;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The argument checks every builder shares; each names the setting and what it expects, in one
 * format: {@code "maxAttempts: 0 (expected: >= 1)"}. Strings are shown in single quotes ({@code
 * "host: ' ' (expected: not blank)"}). A {@code null} fails with a {@link NullPointerException}
 * whose message is the setting's name.
 *
 * <p>Internal: not an API, it may change in any release. It is public only so that Courier's
 * integration modules (courier-kafka, courier-zookeeper, courier-consul) check their builders the
 * same way.
 */
public final class Checks {
  private Checks() {}

  /** {@code value}, if it is at least 1. */
  public static int atLeastOne(String name, int value) {
    if (value < 1) {
      throw invalid(name, value, ">= 1");
    }
    return value;
  }

  /** {@code value}, if it is not negative. */
  public static int notNegative(String name, int value) {
    if (value < 0) {
      throw invalid(name, value, ">= 0");
    }
    return value;
  }

  /** {@code value}, if it is in {@code [min, max]}; the message says {@code "min to max"}. */
  public static int between(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw invalid(name, value, min + " to " + max);
    }
    return value;
  }

  /** {@code value}, if it is not null and not negative. */
  public static Duration notNegative(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw invalid(name, value, ">= 0");
    }
    return value;
  }

  /** {@code value}, if it is not null and longer than zero. */
  public static Duration positive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw invalid(name, value, "> 0");
    }
    return value;
  }

  /**
   * {@code value}, if it is at least one second: for settings a server takes in whole seconds.
   * Zero and negative values fail as in {@link #positive}.
   */
  public static Duration atLeastOneSecond(String name, Duration value) {
    positive(name, value);
    if (value.toSeconds() < 1) {
      throw invalid(name, value, ">= 1s");
    }
    return value;
  }

  /** {@code value}, if it is not null and not blank. */
  public static String notBlank(String name, String value) {
    return notBlank(name, value, "not blank");
  }

  /**
   * {@code value}, if it is not null and not blank; the message names what is {@code expected}
   * instead (such as {@code "host:port[,host:port...]"}).
   */
  public static String notBlank(String name, String value, String expected) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw invalid(name, quoted(value), expected);
    }
    return value;
  }

  /**
   * The exception for a setting {@code name} whose value, as {@code shown}, is not what was
   * {@code expected}: {@code "name: shown (expected: expected)"}. For checks the others do not
   * cover; show strings with {@link #quoted}, and never show a secret.
   */
  public static IllegalArgumentException invalid(String name, Object shown, String expected) {
    return new IllegalArgumentException(String.format("%s: %s (expected: %s)", name, shown, expected));
  }

  /** {@code value} in single quotes, as the messages show strings. */
  public static String quoted(String value) {
    return "'" + value + "'";
  }

  /**
   * {@code values} as an unmodifiable list, if neither the array nor an element is null; the error
   * names the element: {@code interceptors[1]}.
   */
  public static <T> List<T> noNulls(String name, T[] values) {
    Objects.requireNonNull(values, name);
    for (int i = 0; i < values.length; i++) {
      Objects.requireNonNull(values[i], name + "[" + i + "]");
    }
    return List.of(values);
  }
}
