package dev.courier.runtime.client;

/**
 * One endpoint's latency estimate: an EWMA of its attempts' durations, robust to outliers and
 * forgetting with age. A sample moves the estimate a quarter of the way to it, or by the share of
 * the estimate that its age has forgotten when that is more (half after {@value
 * #FORGET_HALF_LIFE_NANOS} ns without a sample, as the weights of a time-decayed EWMA such as
 * Finagle's): an endpoint sampled now and then is judged on its recent answers, not on one old
 * estimate that each new answer moves by a quarter. All times are passed in (ns, on
 * the client's clock), so the rules below are exact under a manual clock. Thread-safe without
 * locks: a lost update under a race is one sample fewer, which is harmless.
 *
 * <p>What the other endpoints measure is passed in too: {@code typical} (the median of their
 * estimates) and {@code fastest} (the lowest of them); 0 when none is known.
 *
 * <ul>
 *   <li><b>A cold endpoint starts from the cluster.</b> A new endpoint, or one back from an
 *       ejection ({@link #forget}), starts from {@code typical}, not from its first sample, and its
 *       first {@value #WARM_UP_SAMPLES} successful samples count as at most twice {@code typical}:
 *       a fresh JVM answers its first calls slowly while it compiles its code, and those calls must
 *       not decide its share. With nothing else known, the first sample is taken as is.
 *   <li><b>One attempt's evidence is bounded by what was expected when it was sent.</b> After the
 *       warm-up a successful sample counts as at most {@value #OUTLIER_FACTOR} times what the
 *       attempt was expected to take when it started ({@code expected}: the estimate then, or the
 *       last measured one when that is higher, see {@link EndpointNode#expectedNanos}). So when a pause (a GC, a
 *       descheduled thread) delays all the calls in flight to one endpoint at once, their samples
 *       together raise its estimate to at most 4 times what it was, instead of compounding sample
 *       after sample (16 samples capped at 4 times a moving estimate grow it 1.75^16 times) and
 *       sending every call elsewhere. A replica that turns slow still shows: each new round of
 *       attempts is capped against a higher estimate.
 *   <li><b>A failure counts as slow.</b> A failed attempt ({@code serverFault}) counts as at least
 *       twice the estimate and at least 1 ms, so a replica that fails fast does not look fast.
 *   <li><b>An estimate that is not refreshed is forgotten, optimistically.</b> Without a sample its
 *       distance to {@code fastest} halves every {@value #FORGET_HALF_LIFE_NANOS} ns. An endpoint
 *       that lost its picks because it was slow gets no samples that could show it recovered; this
 *       way it is tried again within a few hundred milliseconds (optimism under uncertainty, as a
 *       bandit's upper confidence bound), and a retry of a replica that is still slow costs about
 *       one call, since its calls in flight then count against it at once (see {@link
 *       EndpointNode#latencyNanos()}). Towards the fastest and not towards the median, because when
 *       most endpoints are slow the median is slow too, and an endpoint that recovered among them
 *       would never be tried again. An endpoint that keeps its picks keeps getting samples, so this
 *       changes nothing for it. The drift is a guess made for picking: the next sample moves what
 *       was measured, not the guess, so a replica that is still slow keeps its slow estimate and is
 *       tried again less often.
 * </ul>
 */
final class LatencyEstimate {
  /** A successful sample counts as at most this many times the estimate when its attempt started. */
  static final long OUTLIER_FACTOR = 4;
  /** Successful samples of a cold endpoint that count as at most twice the cluster's estimate. */
  static final int WARM_UP_SAMPLES = 8;
  /** How fast an estimate without samples moves towards the fastest endpoint's: half the distance per 100 ms. */
  static final long FORGET_HALF_LIFE_NANOS = 100_000_000L;
  private static final long MIN_FAILURE_SAMPLE_NANOS = 1_000_000L;
  /** How far one sample moves a fresh estimate: a quarter of the way. */
  private static final double MIN_SAMPLE_WEIGHT = 0.25;
  private static final double LN2 = Math.log(2);

  private volatile long estimateNanos;
  private volatile long sampledAt;
  /** Successful samples since the endpoint was new or forgotten, up to {@link #WARM_UP_SAMPLES}. */
  private volatile int warmSamples;

  /** The estimate as of the last sample, without forgetting; 0 when unknown. */
  long lastNanos() {
    return estimateNanos;
  }

  /** Whether the endpoint is cold: nothing known, or still in its warm-up samples (then {@code typical} is read). */
  boolean cold() {
    return estimateNanos == 0 || warmSamples < WARM_UP_SAMPLES;
  }

  /** The estimate at {@code now}: the last one, moved towards {@code fastest} by its age; 0 when unknown. */
  long at(long now, long fastest) {
    long estimate = estimateNanos;
    if (estimate == 0 || fastest <= 0) {
      return estimate;
    }
    long age = now - sampledAt;
    if (age <= 0) {
      return estimate;
    }
    return Math.max(fastest + (long) ((estimate - fastest) * kept(age)), 1);
  }

  /**
   * Takes the sample of one attempt that took {@code sampleNanos} and ended at {@code now}.
   *
   * @param expected the estimate when the attempt started ({@link #at}); 0 when none was known
   */
  void observe(long sampleNanos, boolean serverFault, long expected, long now, long typical) {
    long sample = Math.max(sampleNanos, 1);
    long estimate = estimateNanos; // what was measured: the drift towards the fastest is a guess, read only
    double weight = MIN_SAMPLE_WEIGHT;
    if (estimate == 0) {
      estimate = Math.max(typical, 0);
    } else {
      weight = Math.max(weight, 1 - kept(now - sampledAt));
    }
    if (serverFault) {
      sample = Math.max(sample, Math.max(2 * estimate, MIN_FAILURE_SAMPLE_NANOS));
    } else if (warmSamples < WARM_UP_SAMPLES) {
      warmSamples++; // a lost increment under a race only lengthens the warm-up by a sample
      if (typical > 0) {
        sample = Math.min(sample, 2 * typical);
      }
    } else {
      long bound = expected > 0 ? expected : estimate;
      if (bound > 0) {
        sample = Math.min(sample, OUTLIER_FACTOR * bound);
      }
    }
    estimateNanos = estimate == 0 ? sample : Math.max(estimate + (long) ((sample - estimate) * weight), 1);
    sampledAt = now;
  }

  /** The share of an estimate that still counts after {@code age} ns without a sample. */
  private static double kept(long age) {
    return age <= 0 ? 1.0 : Math.exp(-LN2 * age / FORGET_HALF_LIFE_NANOS);
  }

  /** Forgets everything (an ejection): the next samples start again from the cluster's estimate, with a warm-up. */
  void forget() {
    estimateNanos = 0;
    warmSamples = 0;
  }
}
