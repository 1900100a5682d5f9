package dev.courier.runtime.config;

/**
 * Told about every version a {@link LiveConfig} applies or refuses and every outage of its source,
 * for metrics, alerts or a status page. Called on the source's thread after the version is in
 * force (or refused); must be fast and must not block. An exception it throws is logged and
 * otherwise ignored.
 */
@FunctionalInterface
public interface ConfigListener {
  void onEvent(ConfigEvent event);
}
