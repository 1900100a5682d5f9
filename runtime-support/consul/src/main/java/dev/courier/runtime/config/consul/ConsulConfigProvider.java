package dev.courier.runtime.config.consul;

import dev.courier.runtime.config.ConfigProvider;
import dev.courier.runtime.config.ConfigSource;
import dev.courier.runtime.config.Configs;
import dev.courier.runtime.discovery.DiscoveryUri;
import java.util.Map;
import java.util.Set;

/**
 * {@code consul://host:port/key/path[?wait=30s]} or {@code consul+https://...} for {@link
 * Configs#fromUri}; registered through {@code META-INF/services}. The ACL token comes from {@code
 * CONSUL_HTTP_TOKEN}, never from the URI.
 */
public final class ConsulConfigProvider implements ConfigProvider {
  @Override
  public Set<String> schemes() {
    return Set.of("consul", "consul+https");
  }

  @Override
  public ConfigSource create(DiscoveryUri uri, Map<String, String> env) {
    if (uri.hosts().isBlank() || uri.path().length() < 2 || uri.user().isPresent()) {
      throw Configs.bad(uri, "consul://host:port/key/path (the token comes from CONSUL_HTTP_TOKEN)");
    }
    boolean https = uri.scheme().equals("consul+https");
    ConsulConfigSource.Builder b = ConsulConfigSource.builder((https ? "https://" : "http://") + uri.hosts(),
        uri.path().substring(1));
    String token = env.get("CONSUL_HTTP_TOKEN");
    if (token != null && !token.isBlank()) {
      b.aclToken(token);
    }
    uri.duration("wait").ifPresent(b::wait);
    return b.build();
  }
}
