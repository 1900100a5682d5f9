package dev.courier.runtime.config;

import dev.courier.runtime.discovery.DiscoveryUri;
import dev.courier.runtime.internal.Checks;
import java.io.IOException;
import java.io.StringReader;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** Live-configuration sources by URI, and the text format they share. Stateless. */
public final class Configs {
  private Configs() {}

  /**
   * A source from a URI, so that switching where configuration lives is a configuration change
   * (the twin of {@link dev.courier.runtime.discovery.Discovery#fromUri}):
   * <ul>
   *   <li>{@code file:/path/to/courier.properties[?poll=5s&quiet=100ms]} (or {@code .yaml}, {@code .yml}) — a properties or YAML file,
   *       watched (see {@link FileConfigSource});
   *   <li>{@code zookeeper://[user:password@]host:port[,host:port...]/path/of/node[?sessionTimeout=30s]} — one
   *       ZooKeeper node holding properties text (artifact {@code courier-zookeeper});
   *   <li>{@code consul://host:port/key/path[?wait=30s]} (or {@code consul+https://}) — one Consul
   *       KV key holding properties text (artifact {@code courier-consul}); the ACL token comes
   *       from {@code CONSUL_HTTP_TOKEN}.
   * </ul>
   * Without the artifact of a scheme, the scheme fails with one line naming it.
   *
   * @throws IllegalArgumentException naming the URI (credentials hidden) and the expected forms
   */
  public static ConfigSource fromUri(String uri) {
    return ConfigUris.parse(uri, System.getenv(), ConfigUris.installed());
  }

  /** The error for a configuration URI that does not fit: {@code config: 'uri' (expected: ...)}. */
  public static IllegalArgumentException bad(DiscoveryUri uri, String expected) {
    return Checks.invalid("config", Checks.quoted(uri.toString()), expected);
  }

  /**
   * Reads properties text (what a file, a ZooKeeper node or a Consul key holds) into keys and values.
   *
   * @throws IllegalArgumentException when the text is not properties text (a malformed {@code \\u} escape)
   */
  public static Map<String, String> properties(String text) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(text));
    } catch (IOException e) {
      throw new IllegalStateException(e); // a StringReader does not fail
    }
    Map<String, String> values = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
    return values;
  }
}
