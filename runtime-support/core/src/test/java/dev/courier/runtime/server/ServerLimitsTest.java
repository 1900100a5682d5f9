package dev.courier.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The documented defaults, the copies that change one setting, and the checks with their messages. */
class ServerLimitsTest {
  @Test
  void defaultsAreTheDocumentedOnes() {
    ServerLimits limits = ServerLimits.DEFAULT;

    assertThat(limits.maxConcurrentCallsPerConnection()).isEqualTo(200);
    assertThat(limits.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(limits.maxConnectionAge()).isEqualTo(Duration.ofMinutes(30));
    assertThat(limits.maxConnectionAgeGrace()).isEqualTo(Duration.ofMinutes(5));
    assertThat(limits.permitKeepAliveTime()).isEqualTo(Duration.ofMinutes(5));
    assertThat(limits.permitKeepAliveWithoutCalls()).isFalse();
    assertThat(limits.maxResetsPerWindow()).isEqualTo(1000);
    assertThat(limits.resetWindow()).isEqualTo(Duration.ofSeconds(10));
    assertThat(limits.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(limits.maxInboundMetadataSize()).isEqualTo(8 * 1024);
  }

  @Test
  void eachCopyChangesItsSettingOnly() {
    ServerLimits changed = ServerLimits.DEFAULT
        .withMaxConcurrentCallsPerConnection(50)
        .withIdleTimeout(Duration.ofSeconds(30))
        .withMaxConnectionAge(Duration.ofMinutes(10), Duration.ofSeconds(20))
        .withPermittedKeepAlive(Duration.ofSeconds(20), true)
        .withMaxResets(100, Duration.ofSeconds(1))
        .withHandshakeTimeout(Duration.ofSeconds(3))
        .withMaxInboundMetadataSize(16 * 1024);

    assertThat(changed).isEqualTo(new ServerLimits(50, Duration.ofSeconds(30), Duration.ofMinutes(10),
        Duration.ofSeconds(20), Duration.ofSeconds(20), true, 100, Duration.ofSeconds(1), Duration.ofSeconds(3),
        16 * 1024));
    assertThat(ServerLimits.DEFAULT.withIdleTimeout(Duration.ofSeconds(30)))
        .isEqualTo(ServerLimits.DEFAULT.withIdleTimeout(Duration.ofSeconds(30)))
        .isNotEqualTo(ServerLimits.DEFAULT);
  }

  @Test
  void badSettingsFailWithTheSettingsName() {
    assertThatThrownBy(() -> ServerLimits.DEFAULT.withMaxConcurrentCallsPerConnection(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxConcurrentCallsPerConnection: 0 (expected: >= 1)");
    assertThatThrownBy(() -> ServerLimits.DEFAULT.withIdleTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("idleTimeout: PT0S (expected: > 0)");
    assertThatThrownBy(() -> ServerLimits.DEFAULT.withMaxResets(10, Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("resetWindow: PT0.5S (expected: >= 1s)");
    assertThatThrownBy(() -> ServerLimits.DEFAULT.withHandshakeTimeout(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("handshakeTimeout");
    assertThatThrownBy(() -> CourierServer.builder().limits(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("limits");
  }
}
