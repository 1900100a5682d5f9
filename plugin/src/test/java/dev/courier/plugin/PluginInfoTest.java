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

  /** {@code mvn courier:help} prints the goals' Javadoc without {@code {@link}} targets. */
  @Test
  void helpTextHasNoSentenceLeftWithoutItsLinkTarget() throws Exception {
    String help = java.nio.file.Files.readString(
        java.nio.file.Path.of("target/classes/META-INF/maven/dev.courier/courier-maven-plugin/plugin-help.xml"));

    assertThat(help).doesNotContainPattern(" [.;,](\\s|<|$)");
  }
}
