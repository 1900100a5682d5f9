package dev.courier.runtime.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The percentile estimator behind adaptive hedging, on a clock the test moves. */
class LatencyWindowTest {
  private static final long MS = 1_000_000L;
  private static final long WINDOW = 5_000 * MS;
  private static final long REFRESH = LatencyWindow.REFRESH_NANOS;

  @Test
  void tooFewSamplesGiveNoEstimate() {
    LatencyWindow w = new LatencyWindow(95, WINDOW);
    for (int i = 0; i < LatencyWindow.MIN_SAMPLES - 1; i++) {
      w.record(0, MS);
    }
    assertThat(w.valueNanos(0)).isEqualTo(-1);
    w.record(0, MS);
    assertThat(w.valueNanos(REFRESH)).isPositive();
  }

  @Test
  void theEstimateIsTheTopOfThePercentilesBucketAtMostSixPercentAbove() {
    LatencyWindow w = new LatencyWindow(95, WINDOW);
    for (int i = 1; i <= 1000; i++) {
      w.record(0, i * 10_000L); // 10 µs to 10 ms, evenly
    }
    long p95 = w.valueNanos(0);
    assertThat(p95).isBetween(9_500_000L, (long) (9_500_000 * 1.0625));
    LatencyWindow median = new LatencyWindow(50, WINDOW);
    for (int i = 1; i <= 1000; i++) {
      median.record(0, i * 10_000L);
    }
    assertThat(median.valueNanos(0)).isBetween(5_000_000L, (long) (5_000_000 * 1.0625));
  }

  @Test
  void aComputedValueIsReusedUntilTheRefreshInterval() {
    LatencyWindow w = new LatencyWindow(95, WINDOW);
    for (int i = 0; i < 100; i++) {
      w.record(0, MS);
    }
    long first = w.valueNanos(0);
    for (int i = 0; i < 1000; i++) {
      w.record(1, 50 * MS);
    }
    assertThat(w.valueNanos(REFRESH - 1)).isEqualTo(first);
    assertThat(w.valueNanos(REFRESH)).isGreaterThanOrEqualTo(50 * MS);
  }

  @Test
  void oldLatenciesAgeOutAfterTwoWindows() {
    LatencyWindow w = new LatencyWindow(95, WINDOW);
    for (int i = 0; i < 100; i++) {
      w.record(0, 40 * MS); // a slow period
    }
    for (int i = 0; i < 100; i++) {
      w.record(WINDOW, MS); // the next window: fast again
    }
    assertThat(w.valueNanos(WINDOW)).as("both windows count").isGreaterThanOrEqualTo(40 * MS);
    for (int i = 0; i < 100; i++) {
      w.record(2 * WINDOW, MS);
    }
    assertThat(w.valueNanos(2 * WINDOW)).as("the slow window is gone").isLessThan(2 * MS);
  }

  @Test
  void aSilenceOfTwoWindowsForgetsEverything() {
    LatencyWindow w = new LatencyWindow(95, WINDOW);
    for (int i = 0; i < 100; i++) {
      w.record(0, MS);
    }
    assertThat(w.valueNanos(2 * WINDOW)).isEqualTo(-1);
  }

  @Test
  void extremeLatenciesLandInTheEdgeBuckets() {
    assertThat(LatencyWindow.bucket(0)).isZero();
    assertThat(LatencyWindow.bucket(1)).isZero();
    assertThat(LatencyWindow.bucket(Long.MAX_VALUE)).isEqualTo(LatencyWindow.bucket(1L << 50));
    assertThat(LatencyWindow.upperBound(LatencyWindow.bucket(3 * MS))).isBetween(3 * MS, (long) (3 * MS * 1.0625));
  }

  @Test
  void aPercentileOutsideZeroToHundredIsRefused() {
    assertThatThrownBy(() -> new LatencyWindow(100, WINDOW)).hasMessage("percentile: 100.0 (expected: > 0 and < 100)");
    assertThatThrownBy(() -> new LatencyWindow(0, WINDOW)).hasMessage("percentile: 0.0 (expected: > 0 and < 100)");
  }
}
