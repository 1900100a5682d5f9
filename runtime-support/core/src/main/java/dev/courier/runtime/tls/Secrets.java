package dev.courier.runtime.tls;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Keeps secrets out of {@code toString()} and log lines. A configuration key names a secret when,
 * in lower case, it contains {@code password}, {@code passwd}, {@code secret}, {@code token},
 * {@code jaas}, {@code credential}, {@code private}, {@code apikey}, {@code api.key}, {@code
 * api_key}, {@code auth.info} or {@code user.info}, or when its last segment is {@code key} (as in
 * Kafka's {@code ssl.keystore.key}). So Kafka's {@code sasl.jaas.config}, {@code
 * ssl.key.password}, {@code ssl.keystore.password}, {@code ssl.truststore.password} and {@code
 * ssl.keystore.key} are redacted, while {@code key.serializer} is not.
 *
 * <p>Stateless and thread-safe.
 */
public final class Secrets {
  /** What a secret value is shown as. */
  public static final String REDACTED = "[redacted]";

  private static final String[] MARKERS = {
    "password", "passwd", "secret", "token", "jaas", "credential", "private", "apikey", "api.key",
    "api_key", "auth.info", "user.info"
  };

  private Secrets() {}

  /** Whether the value of configuration key {@code key} is a secret; see the class comment. */
  public static boolean isSecret(String key) {
    Objects.requireNonNull(key, "key");
    String k = key.toLowerCase(Locale.ROOT);
    for (String marker : MARKERS) {
      if (k.contains(marker)) {
        return true;
      }
    }
    return k.equals("key") || k.endsWith(".key") || k.endsWith("_key") || k.endsWith("-key");
  }

  /** {@code value}, or {@link #REDACTED} when {@code key} names a secret. */
  public static String redact(String key, Object value) {
    return isSecret(key) ? REDACTED : String.valueOf(value);
  }

  /** {@code {key=value, ...}} sorted by key, with secret values redacted. */
  public static String toString(Map<?, ?> properties) {
    Objects.requireNonNull(properties, "properties");
    StringJoiner joiner = new StringJoiner(", ", "{", "}");
    stringKeys(properties).forEach((k, v) -> joiner.add(k + "=" + redact(k, v)));
    return joiner.toString();
  }

  private static Map<String, Object> stringKeys(Map<?, ?> properties) {
    Map<String, Object> copy = new TreeMap<>();
    properties.forEach((k, v) -> copy.put(String.valueOf(k), v));
    return copy;
  }
}
