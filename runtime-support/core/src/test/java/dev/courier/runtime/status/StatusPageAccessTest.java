package dev.courier.runtime.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link StatusPageAccess}: whom the status page answers, from the caller's address and {@code Host}. */
class StatusPageAccessTest {
  private static final StatusPageAccess DEFAULT = new StatusPageAccess(Set.of());
  private static final StatusPageAccess ALLOWING = new StatusPageAccess(Set.of("10.0.0.7"));

  @Test
  void byDefaultOnlyLoopbackCallersNamingALoopbackHostAreAnswered() throws Exception {
    assertThat(DEFAULT.allows(ip("127.0.0.1"), "127.0.0.1:8081")).isTrue();
    assertThat(DEFAULT.allows(ip("::1"), "[::1]:8081")).isTrue();
    assertThat(DEFAULT.allows(ip("127.0.0.1"), null)).isTrue();
    assertThat(DEFAULT.allows(ip("127.0.0.1"), "evil.example")).as("DNS rebinding").isFalse();
    assertThat(DEFAULT.allows(ip("10.0.0.7"), "127.0.0.1:8081")).as("another host").isFalse();
  }

  @Test
  void configuredAddressesAreAnsweredAndNoOtherHost() throws Exception {
    assertThat(ALLOWING.allows(ip("10.0.0.7"), "status.internal:8081")).isTrue();
    assertThat(ALLOWING.allows(ip("10.0.0.8"), "status.internal:8081")).isFalse();
    assertThat(ALLOWING.allows(ip("192.168.1.2"), "127.0.0.1")).isFalse();
    // Reached by another name now, so a loopback caller's Host is not checked.
    assertThat(ALLOWING.allows(ip("127.0.0.1"), "status.internal:8081")).isTrue();
  }

  @Test
  void theLoopbackHostCheckReadsNamesPortsAndBrackets() {
    assertThat(StatusPageAccess.loopbackHost("127.0.0.1:8080")).isTrue();
    assertThat(StatusPageAccess.loopbackHost("localhost")).isTrue();
    assertThat(StatusPageAccess.loopbackHost("[::1]:9")).isTrue();
    assertThat(StatusPageAccess.loopbackHost("10.0.0.1:8080")).isFalse();
    assertThat(StatusPageAccess.loopbackHost("localhost.evil.example")).isFalse();
    assertThat(StatusPageAccess.loopbackHost("[::2]:9")).isFalse();
  }

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal); // an IP literal: no lookup
  }
}
