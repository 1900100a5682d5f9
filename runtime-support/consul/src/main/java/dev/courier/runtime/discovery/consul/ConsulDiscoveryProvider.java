package dev.courier.runtime.discovery.consul;

import dev.courier.runtime.discovery.Discovery;
import dev.courier.runtime.discovery.DiscoveryProvider;
import dev.courier.runtime.discovery.DiscoveryUri;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * {@code consul://host:port} or {@code consul+https://host:port}, with
 * {@code ?wait=..&ttl=..&check=ttl|grpc&interval=..}, for {@link Discovery#fromUri}; registered
 * through {@code META-INF/services}. The ACL token comes from {@code CONSUL_HTTP_TOKEN}, never
 * from the URI.
 */
public final class ConsulDiscoveryProvider implements DiscoveryProvider {
  @Override
  public Set<String> schemes() {
    return Set.of("consul", "consul+https");
  }

  @Override
  public Discovery create(DiscoveryUri uri, Map<String, String> env) {
    boolean https = uri.scheme().equals("consul+https");
    if (uri.hosts().isBlank() || uri.path().length() > 1 || uri.user().isPresent()) {
      throw uri.bad("consul://host:port (the token comes from CONSUL_HTTP_TOKEN)");
    }
    ConsulDiscovery.Builder b = ConsulDiscovery.builder().url((https ? "https://" : "http://") + uri.hosts());
    String token = env.get("CONSUL_HTTP_TOKEN");
    if (token != null && !token.isBlank()) {
      b.aclToken(token);
    }
    uri.duration("wait").ifPresent(b::wait);
    uri.duration("ttl").ifPresent(b::ttlCheck);
    String check = uri.params().getOrDefault("check", "ttl");
    if (check.equals("grpc")) {
      b.grpcCheck(uri.duration("interval").orElse(Duration.ofSeconds(10)));
    } else if (!check.equals("ttl")) {
      throw uri.bad("check=ttl or check=grpc");
    }
    return b.build();
  }
}
