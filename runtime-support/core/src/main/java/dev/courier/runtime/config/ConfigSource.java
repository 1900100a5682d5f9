package dev.courier.runtime.config;

import java.util.Map;

/**
 * Where live configuration comes from: a file, a ZooKeeper node, a Consul KV key. The live
 * counterpart of {@link dev.courier.runtime.discovery.EndpointSource}.
 *
 * <p>A source delivers complete versions; it never merges or validates them ({@link LiveConfig}
 * does). When its backend cannot be read it delivers no version, only {@link
 * Listener#onUnavailable}, so whoever follows it keeps the last good version. Implementations are
 * thread-safe; a source may be subscribed to more than once.
 */
public interface ConfigSource {
  /** Receives versions. Called from the source's own thread, one call at a time per subscription. */
  interface Listener {
    /** A complete version: the current one at once (when it can be read), then every change. */
    void onVersion(ConfigVersion version);

    /**
     * The backend cannot be read now ({@code reason} says why); nothing changes until it can. Said
     * once per outage, not once per failed attempt.
     */
    default void onUnavailable(String origin, String reason) {}
  }

  /**
   * Starts delivering versions to {@code listener}: the current one before this method returns
   * when the backend answers in time, then every change.
   *
   * @return ends the subscription; the listener is told nothing after it returns
   */
  AutoCloseable subscribe(Listener listener);

  /** A source whose one version is {@code values}; for tests and for configuration held in code. */
  static ConfigSource of(Map<String, String> values) {
    ConfigVersion version = new ConfigVersion(values, "fixed", "1");
    return new ConfigSource() {
      @Override
      public AutoCloseable subscribe(Listener listener) {
        listener.onVersion(version);
        return () -> { };
      }

      @Override
      public String toString() {
        return "fixed" + version.values().keySet();
      }
    };
  }
}
