package dev.courier.runtime.discovery.zookeeper;

import dev.courier.runtime.discovery.Discovery;
import dev.courier.runtime.discovery.DiscoveryProvider;
import dev.courier.runtime.discovery.DiscoveryUri;
import java.util.Map;
import java.util.Set;

/**
 * {@code zookeeper://[user:password@]host:port[,host:port...][/base/path][?sessionTimeout=30s]}
 * for {@link Discovery#fromUri}; registered through {@code META-INF/services}.
 */
public final class ZooKeeperDiscoveryProvider implements DiscoveryProvider {
  @Override
  public Set<String> schemes() {
    return Set.of("zookeeper");
  }

  @Override
  public Discovery create(DiscoveryUri uri, Map<String, String> env) {
    ZooKeeperDiscovery.Builder b = ZooKeeperDiscovery.builder();
    if (uri.user().isPresent()) {
      if (uri.user().get().isEmpty() || uri.password().isEmpty()) {
        throw uri.bad("zookeeper://user:password@host:port/...");
      }
      b.credentials(uri.user().get(), uri.password().get());
    }
    if (uri.hosts().isBlank()) {
      throw uri.bad("zookeeper://host:port[,host:port...][/base/path]");
    }
    b.connectString(uri.hosts());
    if (uri.path().length() > 1) {
      b.basePath(uri.path());
    }
    uri.duration("sessionTimeout").ifPresent(b::sessionTimeout);
    return b.build();
  }
}
