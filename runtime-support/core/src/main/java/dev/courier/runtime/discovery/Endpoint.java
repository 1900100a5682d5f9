package dev.courier.runtime.discovery;

import static dev.courier.runtime.internal.Checks.atLeastOne;
import static dev.courier.runtime.internal.Checks.between;
import static dev.courier.runtime.internal.Checks.notBlank;

import dev.courier.runtime.internal.Checks;
import java.util.Map;
import java.util.Objects;

/**
 * One server a client can call: host, port, a relative weight (for {@code WEIGHTED_RANDOM}) and
 * free-form metadata from the registry. Immutable.
 *
 * @param host host name or IP literal
 * @param port TCP port, 1 to 65535
 * @param weight relative weight, at least 1
 * @param metadata registry metadata; never {@code null}
 */
public record Endpoint(String host, int port, int weight, Map<String, String> metadata) {
  public Endpoint {
    notBlank("host", host);
    between("port", port, 1, 65535);
    atLeastOne("weight", weight);
    metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
  }

  /** An endpoint with weight 1 and no metadata. */
  public static Endpoint of(String host, int port) {
    return new Endpoint(host, port, 1, Map.of());
  }

  /**
   * Parses {@code host:port}, {@code [ipv6]:port}, optionally followed by {@code ;weight=N}.
   *
   * @throws IllegalArgumentException naming the text and the expected form
   */
  public static Endpoint parse(String text) {
    Objects.requireNonNull(text, "text");
    String spec = text.trim();
    int weight = 1;
    int semicolon = spec.indexOf(';');
    if (semicolon >= 0) {
      String option = spec.substring(semicolon + 1).trim();
      spec = spec.substring(0, semicolon).trim();
      if (!option.startsWith("weight=")) {
        throw Checks.invalid("endpoint", Checks.quoted(text), "host:port or host:port;weight=N");
      }
      weight = parseNumber(text, option.substring("weight=".length()));
    }
    int colon = spec.lastIndexOf(':');
    if (colon <= 0 || colon == spec.length() - 1) {
      throw Checks.invalid("endpoint", Checks.quoted(text), "host:port");
    }
    String host = spec.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new Endpoint(host, parseNumber(text, spec.substring(colon + 1)), weight, Map.of());
  }

  private static int parseNumber(String text, String number) {
    try {
      return Integer.parseInt(number.trim());
    } catch (NumberFormatException e) {
      IllegalArgumentException bad = Checks.invalid("endpoint", Checks.quoted(text), "host:port;weight=N with numbers");
      bad.initCause(e);
      throw bad;
    }
  }

  /** {@code host:port}, with brackets around IPv6 literals. */
  public String authority() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  @Override
  public String toString() {
    return authority();
  }
}
