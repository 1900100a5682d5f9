package dev.courier.runtime.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  void coreAloneHasNoBackendForOtherSchemesAndNamesTheArtifactToAdd() {
    assertThat(DiscoveryUris.installed()).as("no integration module on the core's test class path").isEmpty();
    assertThatThrownBy(() -> DiscoveryUris.parse("zookeeper://u:s3cret@127.0.0.1:2181/prod", Map.of()))
        .hasMessage("discovery: 'zookeeper://****@127.0.0.1:2181/prod' (expected: static:host:port,...;"
            + " for zookeeper://, add the artifact dev.courier:courier-zookeeper if Courier has one)");
    assertThatThrownBy(() -> DiscoveryUris.parse("consul+https://127.0.0.1:8501", Map.of()))
        .hasMessageEndingWith("add the artifact dev.courier:courier-consul if Courier has one)");
  }

  @Test
  void aRegisteredProviderGetsTheParsedUri() {
    DiscoveryProvider provider = new DiscoveryProvider() {
      @Override
      public Set<String> schemes() {
        return Set.of("test");
      }

      @Override
      public Discovery create(DiscoveryUri uri, Map<String, String> env) {
        assertThat(uri.scheme()).isEqualTo("test");
        assertThat(uri.user()).contains("u");
        assertThat(uri.password()).contains("p w");
        assertThat(uri.hosts()).isEqualTo("h1:1,h2:2");
        assertThat(uri.path()).isEqualTo("/base/path");
        assertThat(uri.params()).containsExactlyInAnyOrderEntriesOf(Map.of("wait", "500ms", "x", "y"));
        assertThat(uri.duration("wait")).contains(Duration.ofMillis(500));
        assertThat(uri.duration("missing")).isEmpty();
        assertThat(uri).hasToString("test://****@h1:1,h2:2/base/path?wait=500ms&x=y");
        return Discovery.fixed(List.of(Endpoint.of("127.0.0.1", 1)));
      }
    };
    try (Discovery discovery = DiscoveryUris.parse(
        "test://u:p%20w@h1:1,h2:2/base/path?wait=500ms&x=y", Map.of(), Map.of("test", provider))) {
      assertThat(discovery).isNotNull();
    }
  }

  @Test
  void badUrisNameTheFormsAndNeverShowCredentials() {
    assertThatThrownBy(() -> DiscoveryUris.parse("127.0.0.1:2379", Map.of()))
        .hasMessage("discovery: '127.0.0.1:2379' (expected: static:host:port,...)");
    DiscoveryUri uri = DiscoveryUri.parse("x://u:s3cret@127.0.0.1:1?sessionTimeout=soon");
    assertThatThrownBy(() -> uri.duration("sessionTimeout"))
        .hasMessage("discovery: 'x://****@127.0.0.1:1?sessionTimeout=soon'"
            + " (expected: durations like 500ms, 30s or 2m, not 'soon')");
  }
}
