package dev.courier.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every check says the setting, the value and what was expected, in one format. */
class ChecksTest {
  @Test
  void goodValuesComeBackUnchanged() {
    assertThat(Checks.atLeastOne("n", 1)).isEqualTo(1);
    assertThat(Checks.notNegative("n", 0)).isZero();
    assertThat(Checks.between("port", 65535, 0, 65535)).isEqualTo(65535);
    assertThat(Checks.notNegative("d", Duration.ZERO)).isEqualTo(Duration.ZERO);
    assertThat(Checks.positive("d", Duration.ofNanos(1))).isEqualTo(Duration.ofNanos(1));
    assertThat(Checks.atLeastOneSecond("ttl", Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
    assertThat(Checks.notBlank("host", "a")).isEqualTo("a");
  }

  @Test
  void badNumbersNameTheSettingTheValueAndTheExpectation() {
    assertThatIllegalArgumentException().isThrownBy(() -> Checks.atLeastOne("maxAttempts", 0))
        .withMessage("maxAttempts: 0 (expected: >= 1)");
    assertThatIllegalArgumentException().isThrownBy(() -> Checks.notNegative("maxConcurrency", -1))
        .withMessage("maxConcurrency: -1 (expected: >= 0)");
    assertThatIllegalArgumentException().isThrownBy(() -> Checks.between("port", 70000, 0, 65535))
        .withMessage("port: 70000 (expected: 0 to 65535)");
  }

  @Test
  void badDurationsNameTheSettingTheValueAndTheExpectation() {
    assertThatIllegalArgumentException().isThrownBy(() -> Checks.notNegative("gracePeriod", Duration.ofSeconds(-1)))
        .withMessage("gracePeriod: PT-1S (expected: >= 0)");
    assertThatIllegalArgumentException().isThrownBy(() -> Checks.positive("timeout", Duration.ZERO))
        .withMessage("timeout: PT0S (expected: > 0)");
    assertThatIllegalArgumentException().isThrownBy(() -> Checks.atLeastOneSecond("ttl", Duration.ofMillis(500)))
        .withMessage("ttl: PT0.5S (expected: >= 1s)");
    assertThatIllegalArgumentException().isThrownBy(() -> Checks.atLeastOneSecond("wait", Duration.ZERO))
        .withMessage("wait: PT0S (expected: > 0)");
  }

  @Test
  void blankStringsAreShownQuotedWithWhatWasExpected() {
    assertThatIllegalArgumentException().isThrownBy(() -> Checks.notBlank("host", " "))
        .withMessage("host: ' ' (expected: not blank)");
    assertThatIllegalArgumentException().isThrownBy(() -> Checks.notBlank("connectString", "", "host:port"))
        .withMessage("connectString: '' (expected: host:port)");
    assertThat(Checks.invalid("url", Checks.quoted("x"), "http://host:port"))
        .hasMessage("url: 'x' (expected: http://host:port)");
  }

  @Test
  void nullFailsWithTheSettingsName() {
    assertThatNullPointerException().isThrownBy(() -> Checks.positive("timeout", null)).withMessage("timeout");
    assertThatNullPointerException().isThrownBy(() -> Checks.notNegative("d", (Duration) null)).withMessage("d");
    assertThatNullPointerException().isThrownBy(() -> Checks.notBlank("host", null)).withMessage("host");
  }
}
