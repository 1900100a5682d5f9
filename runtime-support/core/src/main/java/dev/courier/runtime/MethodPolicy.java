package dev.courier.runtime;

import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.retry.HedgePolicy;
import dev.courier.runtime.retry.RetryPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a method declares about how it is called: idempotency, the deadline for the whole call,
 * retries, hedging, the balancer, a server-side concurrency limit, and whether it has a
 * queue-backed variant.
 *
 * <p>Generated code builds one per method from the {@code .proto} options (method options over
 * service options); the client builder overrides it at run time. Immutable and thread-safe.
 */
public final class MethodPolicy {
  /** No options declared: not idempotent, no deadline, default retries, no hedging. */
  public static final MethodPolicy DEFAULT = builder().build();

  private final boolean idempotent;
  private final Duration timeout;
  private final RetryPolicy retry;
  private final HedgePolicy hedge;
  private final BalancerKind balancer;
  private final int maxConcurrency;
  private final boolean queue;

  private MethodPolicy(Builder b) {
    this.idempotent = b.idempotent;
    this.timeout = b.timeout;
    this.retry = b.retry;
    this.hedge = b.hedge;
    this.balancer = b.balancer;
    this.maxConcurrency = b.maxConcurrency;
    this.queue = b.queue;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.idempotent = idempotent;
    b.timeout = timeout;
    b.retry = retry;
    b.hedge = hedge;
    b.balancer = balancer;
    b.maxConcurrency = maxConcurrency;
    b.queue = queue;
    return b;
  }

  /** Whether running the method twice has the same effect as running it once. */
  public boolean idempotent() {
    return idempotent;
  }

  /** The deadline for the whole call, every attempt included; empty for none. */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  public RetryPolicy retry() {
    return retry;
  }

  /** Hedging, for idempotent methods; empty for none. */
  public Optional<HedgePolicy> hedge() {
    return Optional.ofNullable(hedge);
  }

  /** The balancer the method asks for; empty to use the client's. */
  public Optional<BalancerKind> balancer() {
    return Optional.ofNullable(balancer);
  }

  /** Server-side limit on concurrent executions; 0 for none. */
  public int maxConcurrency() {
    return maxConcurrency;
  }

  /** Whether a queue-backed variant of the method is generated. */
  public boolean queue() {
    return queue;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MethodPolicy other
        && idempotent == other.idempotent
        && Objects.equals(timeout, other.timeout)
        && retry.equals(other.retry)
        && Objects.equals(hedge, other.hedge)
        && balancer == other.balancer
        && maxConcurrency == other.maxConcurrency
        && queue == other.queue;
  }

  @Override
  public int hashCode() {
    return Objects.hash(idempotent, timeout, retry, hedge, balancer, maxConcurrency, queue);
  }

  @Override
  public String toString() {
    return "MethodPolicy{idempotent=" + idempotent
        + ", timeout=" + timeout
        + ", retry=" + retry
        + ", hedge=" + hedge
        + ", balancer=" + balancer
        + ", maxConcurrency=" + maxConcurrency
        + ", queue=" + queue + '}';
  }

  /** Builds a {@link MethodPolicy}; setters validate at once. Not thread-safe. */
  public static final class Builder {
    private boolean idempotent;
    private Duration timeout;
    private RetryPolicy retry = RetryPolicy.DEFAULT;
    private HedgePolicy hedge;
    private BalancerKind balancer;
    private int maxConcurrency;
    private boolean queue;

    private Builder() {}

    public Builder idempotent(boolean idempotent) {
      this.idempotent = idempotent;
      return this;
    }

    /** The deadline for the whole call; {@code null} for none. */
    public Builder timeout(Duration timeout) {
      if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
        throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
      }
      this.timeout = timeout;
      return this;
    }

    public Builder retry(RetryPolicy retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    /** Hedging; {@code null} for none. */
    public Builder hedge(HedgePolicy hedge) {
      this.hedge = hedge;
      return this;
    }

    /** The balancer; {@code null} to use the client's. */
    public Builder balancer(BalancerKind balancer) {
      this.balancer = balancer;
      return this;
    }

    public Builder maxConcurrency(int maxConcurrency) {
      if (maxConcurrency < 0) {
        throw new IllegalArgumentException("maxConcurrency: " + maxConcurrency + " (expected: >= 0)");
      }
      this.maxConcurrency = maxConcurrency;
      return this;
    }

    public Builder queue(boolean queue) {
      this.queue = queue;
      return this;
    }

    /** The retry policy set so far; for overrides that change one of its settings. */
    public RetryPolicy currentRetry() {
      return retry;
    }

    /** The hedging policy set so far, or {@code null}; for overrides that change one of its settings. */
    public HedgePolicy currentHedge() {
      return hedge;
    }

    public MethodPolicy build() {
      if (hedge != null && !idempotent) {
        throw new IllegalArgumentException("hedge: " + hedge + " (expected: only on idempotent methods)");
      }
      return new MethodPolicy(this);
    }
  }
}
