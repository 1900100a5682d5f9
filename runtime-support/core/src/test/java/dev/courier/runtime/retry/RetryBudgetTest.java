package dev.courier.runtime.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

  @Test
  void retriesStopAtTheShareOfCallsPlusTheFloor() {
    RetryBudget budget = RetryBudget.of(0.1, 2, Duration.ofSeconds(5), now::get);
    for (int i = 0; i < 100; i++) {
      budget.onCall();
    }
    int allowed = 0;
    while (budget.tryRetry()) {
      allowed++;
    }
    assertThat(allowed).isEqualTo(10 + 2 * 5);
  }

  @Test
  void floorAloneAllowsRetriesWithoutTraffic() {
    RetryBudget budget = RetryBudget.of(0.2, 1, Duration.ofSeconds(3), now::get);
    int allowed = 0;
    while (budget.tryRetry()) {
      allowed++;
    }
    assertThat(allowed).isEqualTo(3);
  }

  @Test
  void spentRetriesComeBackWhenTheyLeaveTheWindow() {
    RetryBudget budget = RetryBudget.of(0.0, 1, Duration.ofSeconds(2), now::get);
    assertThat(budget.tryRetry()).isTrue();
    assertThat(budget.tryRetry()).isTrue();
    assertThat(budget.tryRetry()).isFalse();
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(budget.tryRetry()).isFalse();
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    assertThat(budget.tryRetry()).isTrue();
  }

  @Test
  void callsOlderThanTheWindowNoLongerEarnRetries() {
    RetryBudget budget = RetryBudget.of(0.5, 0, Duration.ofSeconds(2), now::get);
    for (int i = 0; i < 10; i++) {
      budget.onCall();
    }
    now.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(budget.tryRetry()).isFalse();
  }

  @Test
  void unlimitedBudgetNeverRefuses() {
    RetryBudget budget = RetryBudget.unlimited();
    for (int i = 0; i < 10_000; i++) {
      assertThat(budget.tryRetry()).isTrue();
    }
  }

  @Test
  void impossibleValuesFailWithTheExpectedRange() {
    assertThatThrownBy(() -> RetryBudget.of(-0.1, 1, Duration.ofSeconds(1), now::get))
        .hasMessage("share: -0.1 (expected: >= 0.0)");
    assertThatThrownBy(() -> RetryBudget.of(0.1, -1, Duration.ofSeconds(1), now::get))
        .hasMessage("floorPerSecond: -1 (expected: >= 0)");
    assertThatThrownBy(() -> RetryBudget.of(0.1, 1, Duration.ofMillis(500), now::get))
        .hasMessage("window: PT0.5S (expected: >= 1s)");
  }
}
