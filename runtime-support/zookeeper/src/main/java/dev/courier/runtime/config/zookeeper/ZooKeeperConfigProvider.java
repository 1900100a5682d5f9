package dev.courier.runtime.config.zookeeper;

import dev.courier.runtime.config.ConfigProvider;
import dev.courier.runtime.config.ConfigSource;
import dev.courier.runtime.config.Configs;
import dev.courier.runtime.discovery.DiscoveryUri;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * {@code zookeeper://[user:password@]host:port[,host:port...]/path/of/node[?sessionTimeout=30s]} for {@link
 * Configs#fromUri}; registered through {@code META-INF/services}.
 */
public final class ZooKeeperConfigProvider implements ConfigProvider {
  @Override
  public Set<String> schemes() {
    return Set.of("zookeeper");
  }

  @Override
  public ConfigSource create(DiscoveryUri uri, Map<String, String> env) {
    if (uri.hosts().isBlank() || uri.path().length() < 2
        || uri.user().isPresent() && (uri.user().get().isEmpty() || uri.password().isEmpty())) {
      throw Configs.bad(uri, "zookeeper://[user:password@]host:port[,host:port...]/path/of/node");
    }
    return ZooKeeperConfigSource.of(uri.hosts(), uri.path(), uri.duration("sessionTimeout").orElse(Duration.ofSeconds(30)),
        uri.user().orElse(null), uri.password().orElse(null));
  }
}
