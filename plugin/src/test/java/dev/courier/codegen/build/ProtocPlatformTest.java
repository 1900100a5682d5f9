package dev.courier.codegen.build;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProtocPlatformTest {

  @Test
  void mapsEveryPublishedPlatform() {
    assertThat(ProtocPlatform.classifier("Linux", "amd64")).hasValue("linux-x86_64");
    assertThat(ProtocPlatform.classifier("Linux", "aarch64")).hasValue("linux-aarch_64");
    assertThat(ProtocPlatform.classifier("Mac OS X", "x86_64")).hasValue("osx-x86_64");
    assertThat(ProtocPlatform.classifier("Mac OS X", "aarch64")).hasValue("osx-aarch_64");
    assertThat(ProtocPlatform.classifier("Windows 11", "amd64")).hasValue("windows-x86_64");
  }

  @Test
  void unpublishedPlatformIsEmptyAndTheMessageSaysToSetProtocExecutable() {
    assertThat(ProtocPlatform.classifier("FreeBSD", "amd64")).isEmpty();
    assertThat(ProtocPlatform.classifier("Linux", "s390x")).isEmpty();
    assertThat(ProtocPlatform.unsupportedMessage("FreeBSD", "amd64"))
        .contains("FreeBSD/amd64").contains("protocExecutable");
  }
}
