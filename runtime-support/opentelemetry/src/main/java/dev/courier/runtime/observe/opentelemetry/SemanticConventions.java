package dev.courier.runtime.observe.opentelemetry;

import java.util.Arrays;
import java.util.Locale;

/**
 * Which version of OpenTelemetry's RPC semantic conventions Courier's spans and metrics follow.
 * The conventions changed after v1.37 and are still settling, so both are available.
 *
 * <table>
 *   <caption>What each version names</caption>
 *   <tr><th></th><th>{@link #OLD} (v1.37 and before)</th><th>{@link #STABLE} (after v1.37)</th></tr>
 *   <tr><td>system</td><td>{@code rpc.system = grpc}</td><td>{@code rpc.system.name = grpc}</td></tr>
 *   <tr><td>method</td><td>{@code rpc.service = pkg.Service}, {@code rpc.method = Method}</td>
 *       <td>{@code rpc.method = pkg.Service/Method}</td></tr>
 *   <tr><td>status</td><td>{@code rpc.grpc.status_code}, a number</td>
 *       <td>{@code rpc.response.status_code}, the code's name</td></tr>
 *   <tr><td>durations</td><td>{@code rpc.client.duration}, {@code rpc.server.duration} in {@code ms}</td>
 *       <td>{@code rpc.client.call.duration}, {@code rpc.server.call.duration} in {@code s}</td></tr>
 *   <tr><td>queue operation</td><td>{@code messaging.operation = publish | process}</td>
 *       <td>{@code messaging.operation.type = send | process}</td></tr>
 * </table>
 *
 * <p>{@link #BOTH} records both, for a migration. {@link #fromEnvironment()} reads the switch the
 * conventions define.
 */
public enum SemanticConventions {
  /** The conventions of v1.37 and before. */
  OLD,
  /** The conventions after v1.37: Courier's default. */
  STABLE,
  /** Both at once: every attribute of both, every duration histogram of both. */
  BOTH;

  /** The system property that chooses, before the environment: {@code old}, {@code stable} or {@code both}. */
  public static final String PROPERTY = "courier.otel.semconv";
  /** The environment variable the conventions define: {@code rpc} for stable, {@code rpc/dup} for both. */
  public static final String ENVIRONMENT = "OTEL_SEMCONV_STABILITY_OPT_IN";

  /** Whether the v1.37 names are recorded. */
  public boolean old() {
    return this != STABLE;
  }

  /** Whether the names after v1.37 are recorded. */
  public boolean stable() {
    return this != OLD;
  }

  /**
   * The version chosen by the system property {@value #PROPERTY}, else by the environment variable
   * {@value #ENVIRONMENT} ({@code rpc/dup}: {@link #BOTH}; {@code rpc}: {@link #STABLE}), else
   * {@link #STABLE}, what this module has always recorded.
   */
  public static SemanticConventions fromEnvironment() {
    return choose(System.getProperty(PROPERTY), System.getenv(ENVIRONMENT));
  }

  static SemanticConventions choose(String property, String optIn) {
    if (property != null && !property.isBlank()) {
      String value = property.trim().toUpperCase(Locale.ROOT);
      return Arrays.stream(values()).filter(v -> v.name().equals(value)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException(
              PROPERTY + ": " + property + " (expected: old, stable or both)"));
    }
    if (optIn != null) {
      java.util.List<String> values = Arrays.stream(optIn.split(",")).map(String::trim).toList();
      if (values.contains("rpc/dup")) {
        return BOTH;
      }
    }
    return STABLE;
  }
}
