package dev.courier.runtime.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {
  /** Always draws {@code value} from [0, 1). */
  static RandomGenerator fixed(double value) {
    return new RandomGenerator() {
      @Override
      public long nextLong() {
        return (long) (value * Long.MAX_VALUE);
      }

      @Override
      public double nextDouble() {
        return value;
      }
    };
  }

  @Test
  void withoutJitterDelaysGrowByTheMultiplierUpToTheMax() {
    Backoff backoff = Backoff.exponential(Duration.ofMillis(50), Duration.ofMillis(300), 2.0, 0.0);
    assertThat(delaysMillis(backoff, fixed(0.7), 5)).containsExactly(50L, 100L, 200L, 300L, 300L);
  }

  @Test
  void fullJitterDrawsUniformlyBelowTheExponentialBase() {
    Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1), 3.0, 1.0);
    assertThat(delaysMillis(backoff, fixed(0.5), 4)).containsExactly(50L, 150L, 450L, 500L);
    assertThat(delaysMillis(backoff, fixed(0.0), 3)).containsExactly(0L, 0L, 0L);
  }

  @Test
  void partialJitterKeepsTheFixedShare() {
    Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.5);
    assertThat(delaysMillis(backoff, fixed(0.0), 2)).containsExactly(50L, 100L);
    assertThat(delaysMillis(backoff, fixed(0.5), 2)).containsExactly(75L, 150L);
  }

  @Test
  void policyBackoffUsesThePolicyValues() {
    RetryPolicy policy = RetryPolicy.builder().initialBackoff(Duration.ofMillis(10))
        .maxBackoff(Duration.ofMillis(25)).multiplier(2.0).jitter(0.0).build();
    assertThat(delaysMillis(Backoff.of(policy), fixed(0.3), 3)).containsExactly(10L, 20L, 25L);
  }

  @Test
  void impossibleValuesFailWithTheExpectedRange() {
    assertThatThrownBy(() -> Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(5), 2.0, 1.0))
        .hasMessage("max: PT0.005S (expected: >= initial PT0.01S)");
    assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, Duration.ZERO, 0.5, 1.0))
        .hasMessage("multiplier: 0.5 (expected: >= 1.0)");
    assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, Duration.ZERO, 1.0, 1.5))
        .hasMessage("jitter: 1.5 (expected: 0.0 to 1.0)");
    assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, Duration.ZERO, 1.0, 1.0).delayNanos(0, fixed(0)))
        .hasMessage("retry: 0 (expected: >= 1)");
  }

  private static Long[] delaysMillis(Backoff backoff, RandomGenerator random, int count) {
    Long[] out = new Long[count];
    for (int i = 0; i < count; i++) {
      out[i] = Duration.ofNanos(backoff.delayNanos(i + 1, random)).toMillis();
    }
    return out;
  }
}
