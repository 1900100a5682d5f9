package dev.courier.runtime.discovery.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.courier.runtime.discovery.Discovery;
import org.junit.jupiter.api.Test;

/** {@code zookeeper://} URIs reach {@link ZooKeeperDiscovery} through its registered provider. */
class ZooKeeperDiscoveryUriTest {
  @Test
  void zookeeperUriCarriesHostsPathTimeoutAndRedactedCredentials() {
    try (Discovery discovery = Discovery.fromUri(
        "zookeeper://courier:s3cret@127.0.0.1:1,127.0.0.1:2/prod/services?sessionTimeout=5s")) {
      assertThat(discovery.toString())
          .isEqualTo("zookeeper{127.0.0.1:1,127.0.0.1:2/prod/services, sessionTimeout=PT5S, credentials=digest:****}");
    }
  }

  @Test
  void badZookeeperUrisNameTheFormAndNeverShowCredentials() {
    assertThatThrownBy(() -> Discovery.fromUri("zookeeper://u:s3cret@127.0.0.1:1?sessionTimeout=soon"))
        .hasMessage("discovery: 'zookeeper://****@127.0.0.1:1?sessionTimeout=soon'"
            + " (expected: durations like 500ms, 30s or 2m, not 'soon')");
    assertThatThrownBy(() -> Discovery.fromUri("zookeeper://justauser@127.0.0.1:1"))
        .hasMessage("discovery: 'zookeeper://****@127.0.0.1:1' (expected: zookeeper://user:password@host:port/...)");
    assertThatThrownBy(() -> Discovery.fromUri("zookeeper:///base"))
        .hasMessageContaining("expected: zookeeper://host:port[,host:port...][/base/path]");
  }
}
