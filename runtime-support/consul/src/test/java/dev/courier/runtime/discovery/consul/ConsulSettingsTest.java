package dev.courier.runtime.discovery.consul;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The frozen Consul settings never print the token, and say which check registrations carry. */
class ConsulSettingsTest {
  private static ConsulSettings settings(String token, Duration grpcCheckInterval) {
    return new ConsulSettings("http://127.0.0.1:8500", token, Duration.ofSeconds(30), Duration.ofSeconds(5),
        Duration.ofSeconds(2), Duration.ofMillis(250), Duration.ofSeconds(10), Duration.ofSeconds(10),
        grpcCheckInterval, Duration.ofMinutes(1));
  }

  @Test
  void toStringNamesTheAgentButNeverTheToken() {
    assertThat(settings("t0ken-value", null).toString())
        .isEqualTo("consul{http://127.0.0.1:8500, token=****}").doesNotContain("t0ken-value");
    assertThat(settings(null, null).toString()).isEqualTo("consul{http://127.0.0.1:8500}");
  }

  @Test
  void registrationsCarryATtlCheckUnlessAGrpcCheckIsSet() {
    assertThat(settings(null, null).ttlCheck()).isTrue();
    assertThat(settings(null, Duration.ofSeconds(5)).ttlCheck()).isFalse();
  }

  @Test
  void builderFreezesWhatItWasGiven() {
    ConsulDiscovery.Builder builder = ConsulDiscovery.builder().url("http://consul:8500").aclToken("tok");
    try (ConsulDiscovery discovery = builder.build()) {
      builder.url("http://elsewhere:8500");
      assertThat(discovery.settings().url()).isEqualTo("http://consul:8500");
      assertThat(discovery.toString()).isEqualTo("consul{http://consul:8500, token=****}");
    }
  }
}
