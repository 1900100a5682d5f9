package dev.courier.runtime.discovery;

import java.util.Map;
import java.util.Set;

/**
 * A discovery backend that {@link Discovery#fromUri} can choose by URI scheme. Integration modules
 * register theirs in {@code META-INF/services/dev.courier.runtime.discovery.DiscoveryProvider}, so
 * adding the module's artifact is all it takes; the core lists no backend.
 *
 * <p>By convention the module of scheme {@code x} (or {@code x+variant}) is
 * {@code dev.courier:courier-x}: that is the artifact the error for an unknown scheme names.
 * Implementations are stateless and thread-safe, with a public no-argument constructor.
 */
public interface DiscoveryProvider {
  /** The URI schemes this backend reads, e.g. {@code zookeeper}; never {@code static}. */
  Set<String> schemes();

  /**
   * A backend for {@code uri}, whose scheme is one of {@link #schemes()}.
   *
   * @param env the process environment, for secrets that must not sit in the URI
   * @throws IllegalArgumentException from {@link DiscoveryUri#bad}, naming what was expected
   */
  Discovery create(DiscoveryUri uri, Map<String, String> env);
}
