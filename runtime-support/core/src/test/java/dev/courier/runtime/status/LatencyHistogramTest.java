package dev.courier.runtime.status;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
  @Test
  void bucketsTileTheLongsWithoutGapsAndWithinOneEighthOfTheirValue() {
    for (int i = 1; i < 400; i++) {
      assertThat(LatencyHistogram.lower(i)).as("bucket %s", i).isEqualTo(LatencyHistogram.upper(i - 1) + 1);
      assertThat(LatencyHistogram.index(LatencyHistogram.lower(i))).isEqualTo(i);
      assertThat(LatencyHistogram.index(LatencyHistogram.upper(i))).isEqualTo(i);
      long lower = LatencyHistogram.lower(i);
      assertThat((double) LatencyHistogram.upper(i) - lower).isLessThanOrEqualTo(Math.max(1, lower / 8.0));
    }
  }

  @Test
  void percentilesAreTheUpperEndOfTheBucketHoldingTheRank() {
    LatencyHistogram h = new LatencyHistogram();
    for (int i = 1; i <= 100; i++) {
      h.record(i * 1_000_000L); // 1 ms .. 100 ms
    }
    assertThat(h.count()).isEqualTo(100);
    assertThat(h.percentile(0.5)).isBetween(50_000_000L, 50_000_000L + 50_000_000L / 8);
    assertThat(h.percentile(0.99)).isBetween(99_000_000L, 99_000_000L + 99_000_000L / 8);
    assertThat(h.percentile(1.0)).isGreaterThanOrEqualTo(100_000_000L);
  }

  @Test
  void anEmptyHistogramAnswersZero() {
    assertThat(new LatencyHistogram().percentile(0.5)).isZero();
  }
}
