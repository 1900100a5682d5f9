package dev.courier.runtime.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Choosing the registry by configuration: {@link Discovery#fromUri}. */
class DiscoveryUrisTest {
  @Test
  void staticListIsTheFixedSetAndRegisteringDoesNothing() throws Exception {
    try (Discovery discovery = DiscoveryUris.parse("static:127.0.0.1:50051,127.0.0.1:50052;weight=3", Map.of())) {
      MutableEndpointSource sink = new MutableEndpointSource(List.of());
      discovery.endpointSource("test.Echo").subscribe(sink::set).close();
      assertThat(sink.get()).containsExactly(
          Endpoint.of("127.0.0.1", 50051), new Endpoint("127.0.0.1", 50052, 3, Map.of()));
      discovery.register("test.Echo", Endpoint.of("127.0.0.1", 1)).close();
    }
  }

  @Test
  void zookeeperUriCarriesHostsPathTimeoutAndRedactedCredentials() {
    try (Discovery discovery = DiscoveryUris.parse(
        "zookeeper://courier:s3cret@127.0.0.1:1,127.0.0.1:2/prod/services?sessionTimeout=5s", Map.of())) {
      assertThat(discovery.toString())
          .isEqualTo("zookeeper{127.0.0.1:1,127.0.0.1:2/prod/services, sessionTimeout=PT5S, credentials=digest:****}");
    }
  }

  @Test
  void consulUriTakesItsTokenFromTheEnvironment() {
    try (Discovery discovery = DiscoveryUris.parse(
        "consul://127.0.0.1:8500?wait=10s&check=grpc", Map.of("CONSUL_HTTP_TOKEN", "t0ken-from-env"))) {
      assertThat(discovery.toString()).isEqualTo("consul{http://127.0.0.1:8500, token=****}");
    }
  }

  @Test
  void badUrisNameTheFormsAndNeverShowCredentials() {
    assertThatThrownBy(() -> DiscoveryUris.parse("etcd://127.0.0.1:2379", Map.of()))
        .hasMessageStartingWith("discovery: 'etcd://127.0.0.1:2379' (expected: static:host:port");
    assertThatThrownBy(() -> DiscoveryUris.parse("zookeeper://u:s3cret@127.0.0.1:1?sessionTimeout=soon", Map.of()))
        .hasMessage("discovery: 'zookeeper://****@127.0.0.1:1?sessionTimeout=soon'"
            + " (expected: durations like 500ms, 30s or 2m, not 'soon')");
    assertThat(DiscoveryUris.duration("x", "500ms")).isEqualTo(Duration.ofMillis(500));
  }
}
