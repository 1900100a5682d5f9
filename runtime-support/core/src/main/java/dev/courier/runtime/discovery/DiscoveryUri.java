package dev.courier.runtime.discovery;

import dev.courier.runtime.internal.Checks;
import dev.courier.runtime.internal.Durations;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A discovery URI cut into its parts: {@code scheme://[user:password@]hosts[/path][?key=value&...]}.
 * Immutable. Its {@link #toString()} and every error it makes hide the credentials.
 */
public final class DiscoveryUri {
  private final String text;
  private final String scheme;
  private final String user;
  private final String password;
  private final String hosts;
  private final String path;
  private final Map<String, String> params;

  private DiscoveryUri(String text, String scheme, String user, String password, String hosts, String path,
      Map<String, String> params) {
    this.text = text;
    this.scheme = scheme;
    this.user = user;
    this.password = password;
    this.hosts = hosts;
    this.path = path;
    this.params = params;
  }

  /**
   * Parses {@code scheme://...}.
   *
   * @throws IllegalArgumentException when {@code text} has no {@code scheme://}
   */
  public static DiscoveryUri parse(String text) {
    Objects.requireNonNull(text, "text");
    int sep = text.indexOf("://");
    if (sep <= 0) {
      throw bad(text, "scheme://...");
    }
    String scheme = text.substring(0, sep);
    String rest = text.substring(sep + 3);
    Map<String, String> params = new LinkedHashMap<>();
    int q = rest.indexOf('?');
    if (q >= 0) {
      for (String pair : rest.substring(q + 1).split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          params.put(pair.substring(0, eq), decode(pair.substring(eq + 1)));
        }
      }
      rest = rest.substring(0, q);
    }
    String user = null;
    String password = null;
    int at = rest.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = rest.substring(0, at);
      rest = rest.substring(at + 1);
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
    }
    int slash = rest.indexOf('/');
    String hosts = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash);
    return new DiscoveryUri(text, scheme, user, password, hosts, path, Map.copyOf(params));
  }

  /** {@code zookeeper}, {@code consul+https}. */
  public String scheme() {
    return scheme;
  }

  /** The user of {@code user:password@}, if given. */
  public Optional<String> user() {
    return Optional.ofNullable(user);
  }

  /** The password of {@code user:password@}, if given. */
  public Optional<String> password() {
    return Optional.ofNullable(password);
  }

  /** What stands between {@code ://} (and the user info) and the path: {@code host:port,host:port}. */
  public String hosts() {
    return hosts;
  }

  /** From the first {@code /} after the hosts, without the query; empty when there is none. */
  public String path() {
    return path;
  }

  /** The query parameters, decoded. */
  public Map<String, String> params() {
    return params;
  }

  /** The parameter {@code key} as a duration ({@code 500ms}, {@code 30s}, {@code 2m}), if given. */
  public Optional<Duration> duration(String key) {
    String value = params.get(key);
    return value == null ? Optional.empty() : Optional.of(duration(this, value));
  }

  /** An error naming this URI (credentials hidden) and what was expected instead. */
  public IllegalArgumentException bad(String expected) {
    return bad(text, expected);
  }

  @Override
  public String toString() {
    return hideCredentials(text);
  }

  /** Read as everywhere else in Courier ({@link Durations}); the error names the URI. */
  static Duration duration(DiscoveryUri uri, String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw uri.bad("durations like 500ms, 30s or 2m, not '" + value + "'");
    }
  }

  static IllegalArgumentException bad(String text, String expected) {
    return Checks.invalid("discovery", Checks.quoted(hideCredentials(text)), expected);
  }

  private static String hideCredentials(String text) {
    return text.replaceAll("//[^/@]*@", "//****@");
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
