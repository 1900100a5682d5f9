package dev.courier.runtime.discovery.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;

/** The frozen ZooKeeper settings name the servers and never print the password. */
class ZooKeeperSettingsTest {
  private static ZooKeeperSettings settings(String user, String password) {
    return new ZooKeeperSettings("zk1:2181,zk2:2181", "/prod", Duration.ofSeconds(30), Duration.ofSeconds(15),
        Duration.ofSeconds(2), Duration.ofMillis(500), new RetryOneTime(1), user, password);
  }

  @Test
  void toStringNamesServersAndPathButNeverThePassword() {
    assertThat(settings("courier", "s3cret").toString())
        .isEqualTo("zookeeper{zk1:2181,zk2:2181/prod, sessionTimeout=PT30S, credentials=digest:****}")
        .doesNotContain("s3cret", "courier:");
  }

  @Test
  void withoutCredentialsNothingIsSaidAboutThem() {
    assertThat(settings(null, null).authenticated()).isFalse();
    assertThat(settings(null, null).toString()).isEqualTo("zookeeper{zk1:2181,zk2:2181/prod, sessionTimeout=PT30S}");
    assertThat(settings(null, null).location()).isEqualTo("zk1:2181,zk2:2181/prod");
  }
}
