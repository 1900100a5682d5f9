package dev.courier.runtime.server;

import dev.courier.runtime.config.ConfigException;
import dev.courier.runtime.config.ConfigProblem;
import dev.courier.runtime.internal.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The server settings of the configuration skeleton the plugin writes next to each service
 * ({@code <Service>-config.properties}), as {@link CourierServer.Builder#configure} reads them:
 *
 * <pre>
 * courier.server.maxConcurrentCallsPerConnection=100
 * courier.server.idleTimeout=2m
 * courier.server.maxCalls=500
 * </pre>
 *
 * <p>One key per {@link ServerLimits} component, by the component's name, plus {@code
 * maxInboundMessageSize} (bytes) and {@code maxCalls} (the call executor's bound, on the kind of
 * threads it already has). Durations are written as everywhere in Courier ({@code 250ms}, {@code 2s},
 * {@code 5m}). Empty values are ignored, so the skeleton as written changes nothing; keys outside
 * {@code courier.server.} are ignored (they are the clients'); an unknown {@code courier.server.}
 * setting, or a value that does not parse or is out of range, fails naming the key and what it
 * expects. Read once, when the server is built: these are grpc-java's transport settings, fixed
 * while the server runs, so a live configuration does not change them. Stateless.
 *
 * @param limits the limits after the keys that set them
 * @param maxInboundMessageSize the {@code maxInboundMessageSize} key, or {@code null} without one
 * @param maxCalls the {@code maxCalls} key, or {@code null} without one
 */
record ServerProperties(ServerLimits limits, Integer maxInboundMessageSize, Integer maxCalls) {
  static final String PREFIX = "courier.server.";
  /** Every setting, in the order the skeleton shows them. */
  static final List<String> SETTINGS = List.of("maxConcurrentCallsPerConnection", "idleTimeout", "maxConnectionAge",
      "maxConnectionAgeGrace", "permitKeepAliveTime", "permitKeepAliveWithoutCalls", "maxResetsPerWindow",
      "resetWindow", "handshakeTimeout", "maxInboundMetadataSize", "maxInboundMessageSize", "maxCalls");

  /** What {@code properties} say about the server, over {@code current}. */
  static ServerProperties read(Properties properties, ServerLimits current) {
    Map<String, String> given = new TreeMap<>();
    for (String key : properties.stringPropertyNames()) {
      if (!key.startsWith(PREFIX)) {
        continue;
      }
      String value = properties.getProperty(key).strip();
      String setting = key.substring(PREFIX.length());
      if (!SETTINGS.contains(setting)) {
        throw new ConfigException(new ConfigProblem(key, value, "unknown server setting '" + setting
            + "' (expected one of " + SETTINGS + ")"));
      }
      if (!value.isEmpty()) {
        given.put(setting, value);
      }
    }
    ServerLimits l = current;
    ServerLimits limits = new ServerLimits(
        number(given, "maxConcurrentCallsPerConnection", l.maxConcurrentCallsPerConnection()),
        duration(given, "idleTimeout", l.idleTimeout()),
        duration(given, "maxConnectionAge", l.maxConnectionAge()),
        duration(given, "maxConnectionAgeGrace", l.maxConnectionAgeGrace()),
        duration(given, "permitKeepAliveTime", l.permitKeepAliveTime()),
        bool(given, "permitKeepAliveWithoutCalls", l.permitKeepAliveWithoutCalls()),
        number(given, "maxResetsPerWindow", l.maxResetsPerWindow()),
        duration(given, "resetWindow", l.resetWindow()),
        duration(given, "handshakeTimeout", l.handshakeTimeout()),
        number(given, "maxInboundMetadataSize", l.maxInboundMetadataSize()));
    return new ServerProperties(limits, numberOrNull(given, "maxInboundMessageSize"),
        numberOrNull(given, "maxCalls"));
  }

  private static int number(Map<String, String> given, String setting, int current) {
    Integer n = numberOrNull(given, setting);
    return n == null ? current : n;
  }

  /** A whole number of at least 1, as every numeric server setting is. */
  private static Integer numberOrNull(Map<String, String> given, String setting) {
    return parse(given, setting, null, v -> {
      int n = Integer.parseInt(v);
      if (n < 1) {
        throw new IllegalArgumentException("'" + v + "' (expected: >= 1)");
      }
      return n;
    }, "a whole number >= 1");
  }

  private static Duration duration(Map<String, String> given, String setting, Duration current) {
    return parse(given, setting, current, v -> {
      Duration d = Durations.parse(v);
      if (d.isZero()) {
        throw new IllegalArgumentException("'" + v + "' (expected: > 0)");
      }
      if (setting.equals("resetWindow") && d.toSeconds() < 1) {
        throw new IllegalArgumentException("'" + v + "' (expected: >= 1s; grpc counts resets per whole second)");
      }
      return d;
    }, "a duration such as 250ms, 2s, 5m");
  }

  private static boolean bool(Map<String, String> given, String setting, boolean current) {
    return parse(given, setting, current, v -> {
      if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
        throw new IllegalArgumentException("'" + v + "' (expected: true or false)");
      }
      return Boolean.parseBoolean(v);
    }, "true or false");
  }

  /**
   * {@code given}'s value of {@code setting} through {@code parser}, {@code current} without one;
   * a parser's {@link IllegalArgumentException} with a message of the form {@code "'v' (expected:
   * ...)"} is kept, any other becomes one that says {@code expected}.
   */
  private static <T> T parse(Map<String, String> given, String setting, T current, Function<String, T> parser,
      String expected) {
    String value = given.get(setting);
    if (value == null) {
      return current;
    }
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      String reason = e.getMessage() != null && e.getMessage().startsWith("'" + value + "' (expected")
          ? e.getMessage() : "'" + value + "' (expected: " + expected + ")";
      throw new ConfigException(new ConfigProblem(PREFIX + setting, value, reason), e);
    }
  }
}
