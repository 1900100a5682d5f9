package dev.courier.runtime.discovery.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.runtime.discovery.Discovery;
import dev.courier.runtime.discovery.DiscoveryUri;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code consul://} URIs reach {@link ConsulDiscovery} through its registered provider. */
class ConsulDiscoveryUriTest {
  @Test
  void consulUriTakesItsTokenFromTheEnvironment() {
    try (Discovery discovery = new ConsulDiscoveryProvider().create(
        uri("consul://127.0.0.1:8500?wait=10s&check=grpc"), Map.of("CONSUL_HTTP_TOKEN", "t0ken-from-env"))) {
      assertThat(discovery.toString()).isEqualTo("consul{http://127.0.0.1:8500, token=****}");
    }
  }

  @Test
  void providerIsFoundByScheme() {
    try (Discovery discovery = Discovery.fromUri("consul+https://127.0.0.1:8501")) {
      assertThat(discovery.toString()).startsWith("consul{https://127.0.0.1:8501");
    }
  }

  @Test
  void badConsulUrisNameTheForm() {
    assertThatThrownBy(() -> Discovery.fromUri("consul://u:p@127.0.0.1:8500"))
        .hasMessage("discovery: 'consul://****@127.0.0.1:8500' (expected: consul://host:port"
            + " (the token comes from CONSUL_HTTP_TOKEN))");
    assertThatThrownBy(() -> Discovery.fromUri("consul://127.0.0.1:8500?check=http"))
        .hasMessageEndingWith("(expected: check=ttl or check=grpc)");
  }

  private static DiscoveryUri uri(String text) {
    return DiscoveryUri.parse(text);
  }
}
