package dev.courier.runtime.queue;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TimeoutWheel} seen as the {@link ScheduledExecutorService} that gRPC's {@code
 * Context.withDeadline} wants, for the deadline a queue worker gives each handler: one timer per
 * request, nearly always cancelled a few milliseconds later, which the wheel takes with a lock-free
 * enqueue and a volatile write where a {@code ScheduledThreadPoolExecutor} takes its heap's lock
 * twice. Only {@link #schedule(Runnable, long, TimeUnit)} and cancelling what it returns are
 * supported, which is all gRPC uses; the rest throws {@link UnsupportedOperationException}.
 * Thread-safe.
 */
final class WheelScheduler extends AbstractExecutorService implements ScheduledExecutorService {
  private final TimeoutWheel wheel;

  WheelScheduler(TimeoutWheel wheel) {
    this.wheel = wheel;
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    Scheduled scheduled = new Scheduled(wheel);
    wheel.schedule(scheduled, command, delay, unit);
    return scheduled;
  }

  /**
   * A task on the wheel, as its own wheel entry (one object per deadline): it can be cancelled;
   * nothing waits for it or reads a result.
   */
  private static final class Scheduled extends TimeoutWheel.Entry implements ScheduledFuture<Object> {
    /**
     * The wheel, whose clock gives the delay left: read only by {@link #getDelay}, which gRPC never
     * calls, rather than a clock read per deadline (each costs about as much as the rest of
     * scheduling it).
     */
    private final TimeoutWheel wheel;
    private volatile boolean cancelled;

    Scheduled(TimeoutWheel wheel) {
      this.wheel = wheel;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      cancel();
      cancelled = true;
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return cancelled;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(wheel.nanosUntil(this), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public Object get() {
      throw new UnsupportedOperationException("a deadline timer has no result");
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException("a deadline timer has no result");
    }
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    throw unsupported();
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    throw unsupported();
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw unsupported();
  }

  @Override
  public void execute(Runnable command) {
    throw unsupported();
  }

  @Override
  public void shutdown() {
    wheel.close();
  }

  @Override
  public List<Runnable> shutdownNow() {
    wheel.close();
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return false;
  }

  @Override
  public boolean isTerminated() {
    return false;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return true;
  }

  private static UnsupportedOperationException unsupported() {
    return new UnsupportedOperationException("only schedule(Runnable, delay, unit), for gRPC deadlines");
  }
}
