package dev.courier.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PluginInfoTest {

  @Test
  void defaultProtocVersionFollowsTheParentPomProperty() {
    PluginInfo info = PluginInfo.load();

    assertThat(info.protocVersion()).isEqualTo(System.getProperty("courier.test.protocVersion"));
    assertThat(info.version()).isNotBlank().doesNotContain("${");
  }
}
