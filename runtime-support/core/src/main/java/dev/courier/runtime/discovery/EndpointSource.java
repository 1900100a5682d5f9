package dev.courier.runtime.discovery;

import java.util.List;

/**
 * Where a client learns its endpoints: a static list, or a registry (ZooKeeper, Consul) whose set
 * changes over time.
 *
 * <p>A source may be subscribed to by several clients. Implementations are thread-safe.
 */
public interface EndpointSource {
  /** Receives endpoint sets. Called from the source's own thread; must not block. */
  @FunctionalInterface
  interface Listener {
    /**
     * The complete current set (not a delta). An empty list means "no endpoint now"; calls then
     * fail with {@code UNAVAILABLE} until a non-empty set arrives.
     */
    void onEndpoints(List<Endpoint> endpoints);
  }

  /**
   * Starts delivering endpoint sets to {@code listener}: the current set at once (before this
   * method returns, when it is known), then every change.
   *
   * @return closes the subscription; the listener gets nothing after it returns
   */
  AutoCloseable subscribe(Listener listener);

  /** A source whose set never changes. */
  static EndpointSource of(List<Endpoint> endpoints) {
    return new StaticEndpointSource(endpoints);
  }
}
