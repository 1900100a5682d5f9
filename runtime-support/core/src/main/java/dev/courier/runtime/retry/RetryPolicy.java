package dev.courier.runtime.retry;

import io.grpc.Status;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * How often and how patiently a call is retried: attempts, exponential backoff with jitter, and
 * which status codes are retried.
 *
 * <p>Immutable and thread-safe. An empty {@link #retryableCodes()} means "the safe defaults":
 * a non-idempotent call is retried only when the request surely never reached a server; an
 * idempotent one also on {@code UNAVAILABLE}, {@code RESOURCE_EXHAUSTED} and a per-attempt
 * {@code DEADLINE_EXCEEDED}.
 */
public final class RetryPolicy {
  /** Three attempts, 50 ms initial backoff doubling up to 1 s, full jitter, default codes. */
  public static final RetryPolicy DEFAULT = builder().build();

  /** One attempt: no retries. */
  public static final RetryPolicy NONE = builder().maxAttempts(1).build();

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final double multiplier;
  private final double jitter;
  private final Set<Status.Code> retryableCodes;
  private final Duration perAttemptTimeout;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.multiplier = b.multiplier;
    this.jitter = b.jitter;
    this.perAttemptTimeout = b.perAttemptTimeout;
    this.retryableCodes =
        b.retryableCodes.isEmpty()
            ? Set.of()
            : Set.copyOf(EnumSet.copyOf(b.retryableCodes));
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxAttempts = maxAttempts;
    b.initialBackoff = initialBackoff;
    b.maxBackoff = maxBackoff;
    b.multiplier = multiplier;
    b.jitter = jitter;
    b.perAttemptTimeout = perAttemptTimeout;
    b.retryableCodes = retryableCodes.isEmpty() ? EnumSet.noneOf(Status.Code.class) : EnumSet.copyOf(retryableCodes);
    return b;
  }

  /**
   * Attempts in all, the first included; at least 1. An attempt that never reached a server (no
   * connection, or a replica going away) is not counted while the call has endpoints it has not
   * tried yet, unless this is 1: nothing ran, so trying the next endpoint costs no server anything.
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  public Duration initialBackoff() {
    return initialBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  public double multiplier() {
    return multiplier;
  }

  /** Share of the backoff that is randomised: 1.0 is full jitter, 0.0 none. */
  public double jitter() {
    return jitter;
  }

  /**
   * A deadline for each attempt, within the deadline of the whole call; empty (the default) for
   * none. An attempt that runs out of it fails with {@code DEADLINE_EXCEEDED}, which an
   * idempotent method retries by default.
   */
  public java.util.Optional<Duration> perAttemptTimeout() {
    return java.util.Optional.ofNullable(perAttemptTimeout);
  }

  /** Codes to retry; empty means the safe defaults described in the class comment. */
  public Set<Status.Code> retryableCodes() {
    return retryableCodes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetryPolicy other
        && maxAttempts == other.maxAttempts
        && initialBackoff.equals(other.initialBackoff)
        && maxBackoff.equals(other.maxBackoff)
        && Double.compare(multiplier, other.multiplier) == 0
        && Double.compare(jitter, other.jitter) == 0
        && retryableCodes.equals(other.retryableCodes)
        && Objects.equals(perAttemptTimeout, other.perAttemptTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxAttempts, initialBackoff, maxBackoff, multiplier, jitter, retryableCodes,
        perAttemptTimeout);
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxAttempts=" + maxAttempts
        + ", initialBackoff=" + initialBackoff
        + ", maxBackoff=" + maxBackoff
        + ", multiplier=" + multiplier
        + ", jitter=" + jitter
        + ", retryableCodes=" + (retryableCodes.isEmpty() ? "defaults" : EnumSet.copyOf(retryableCodes)) // in code order
        + (perAttemptTimeout == null ? "" : ", perAttemptTimeout=" + perAttemptTimeout) + '}';
  }

  /** Builds a {@link RetryPolicy}; every setter validates at once. Not thread-safe. */
  public static final class Builder {
    private int maxAttempts = 3;
    private Duration initialBackoff = Duration.ofMillis(50);
    private Duration maxBackoff = Duration.ofSeconds(1);
    private double multiplier = 2.0;
    private double jitter = 1.0;
    private EnumSet<Status.Code> retryableCodes = EnumSet.noneOf(Status.Code.class);
    private Duration perAttemptTimeout;

    private Builder() {}

    /** A deadline for each attempt; {@code null} for none (the default). */
    public Builder perAttemptTimeout(Duration perAttemptTimeout) {
      if (perAttemptTimeout != null && (perAttemptTimeout.isNegative() || perAttemptTimeout.isZero())) {
        throw new IllegalArgumentException("perAttemptTimeout: " + perAttemptTimeout + " (expected: > 0)");
      }
      this.perAttemptTimeout = perAttemptTimeout;
      return this;
    }

    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: >= 1)");
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Builder initialBackoff(Duration initialBackoff) {
      Objects.requireNonNull(initialBackoff, "initialBackoff");
      if (initialBackoff.isNegative()) {
        throw new IllegalArgumentException("initialBackoff: " + initialBackoff + " (expected: >= 0)");
      }
      this.initialBackoff = initialBackoff;
      return this;
    }

    public Builder maxBackoff(Duration maxBackoff) {
      Objects.requireNonNull(maxBackoff, "maxBackoff");
      if (maxBackoff.isNegative()) {
        throw new IllegalArgumentException("maxBackoff: " + maxBackoff + " (expected: >= 0)");
      }
      this.maxBackoff = maxBackoff;
      return this;
    }

    public Builder multiplier(double multiplier) {
      if (!(multiplier >= 1.0)) {
        throw new IllegalArgumentException("multiplier: " + multiplier + " (expected: >= 1.0)");
      }
      this.multiplier = multiplier;
      return this;
    }

    public Builder jitter(double jitter) {
      if (!(jitter >= 0.0 && jitter <= 1.0)) {
        throw new IllegalArgumentException("jitter: " + jitter + " (expected: 0.0 to 1.0)");
      }
      this.jitter = jitter;
      return this;
    }

    public Builder retryableCodes(Set<Status.Code> codes) {
      Objects.requireNonNull(codes, "codes");
      if (codes.contains(Status.Code.OK)) {
        throw new IllegalArgumentException("retryableCodes: " + codes + " (expected: no OK)");
      }
      this.retryableCodes = codes.isEmpty() ? EnumSet.noneOf(Status.Code.class) : EnumSet.copyOf(codes);
      return this;
    }

    public Builder retryableCodes(Status.Code... codes) {
      return retryableCodes(codes.length == 0 ? Set.of() : EnumSet.of(codes[0], codes));
    }

    public RetryPolicy build() {
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException(
            "maxBackoff: " + maxBackoff + " (expected: >= initialBackoff " + initialBackoff + ")");
      }
      return new RetryPolicy(this);
    }
  }
}
