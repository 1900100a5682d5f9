package dev.courier.runtime.config;

import dev.courier.runtime.discovery.DiscoveryUri;
import java.util.Map;
import java.util.Set;

/**
 * A live-configuration backend that {@link Configs#fromUri} can choose by URI scheme; the twin of
 * {@link dev.courier.runtime.discovery.DiscoveryProvider}. Integration modules register theirs in
 * {@code META-INF/services/dev.courier.runtime.config.ConfigProvider}; the core lists no backend.
 * Implementations are stateless and thread-safe, with a public no-argument constructor.
 */
public interface ConfigProvider {
  /** The URI schemes this backend reads, e.g. {@code zookeeper}; never {@code file}. */
  Set<String> schemes();

  /**
   * A source for {@code uri}, whose scheme is one of {@link #schemes()}.
   *
   * @param env the process environment, for secrets that must not sit in the URI
   * @throws IllegalArgumentException from {@link Configs#bad}, naming what was expected
   */
  ConfigSource create(DiscoveryUri uri, Map<String, String> env);
}
