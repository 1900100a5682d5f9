package dev.courier.bench.queue;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * A closed loop: keeps {@code outstanding} calls in flight, each completion starting the next, for a
 * warm-up and then a measured window; reports calls/s and latency percentiles of the window.
 */
final class LoadLoop {
  /** One scenario's figures. */
  record Result(String name, int outstanding, double callsPerSecond, double p50Millis, double p99Millis, long errors) {}

  private final LongFunction<CompletableFuture<?>> caller;
  private final Executor reissue;
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final long[] samples = new long[8_000_000];
  private final AtomicInteger sampleCount = new AtomicInteger();
  private volatile boolean measuring;
  private volatile boolean running = true;

  private LoadLoop(LongFunction<CompletableFuture<?>> caller, Executor reissue) {
    this.caller = caller;
    this.reissue = reissue;
  }

  static Result run(String name, int outstanding, long warmupMillis, long measureMillis,
      LongFunction<CompletableFuture<?>> caller, Executor reissue) throws InterruptedException {
    Tally tally = new Tally(name, outstanding);
    run(tally, warmupMillis, measureMillis, caller, reissue);
    return tally.result();
  }

  /** Runs one warm-up and measured window and adds the window's figures to {@code tally}. */
  static void run(Tally tally, long warmupMillis, long measureMillis,
      LongFunction<CompletableFuture<?>> caller, Executor reissue) throws InterruptedException {
    LoadLoop loop = new LoadLoop(caller, reissue);
    CountDownLatch stopped = new CountDownLatch(tally.outstanding);
    for (int i = 0; i < tally.outstanding; i++) {
      loop.issue(stopped);
    }
    Thread.sleep(warmupMillis);
    long before = loop.completed.get();
    loop.measuring = true;
    long start = System.nanoTime();
    Thread.sleep(measureMillis);
    loop.measuring = false;
    long elapsed = System.nanoTime() - start;
    long calls = loop.completed.get() - before;
    loop.running = false;
    stopped.await(30, TimeUnit.SECONDS);
    int n = Math.min(loop.sampleCount.get(), loop.samples.length);
    tally.add(calls, elapsed, Arrays.copyOf(loop.samples, n), loop.errors.get());
  }

  /** The figures of one scenario over one or more measured windows. */
  static final class Tally {
    private final String name;
    private final int outstanding;
    private long calls;
    private long nanos;
    private long errors;
    private long[] samples = new long[0];

    Tally(String name, int outstanding) {
      this.name = name;
      this.outstanding = outstanding;
    }

    void add(long moreCalls, long moreNanos, long[] moreSamples, long moreErrors) {
      calls += moreCalls;
      nanos += moreNanos;
      errors += moreErrors;
      long[] all = Arrays.copyOf(samples, samples.length + moreSamples.length);
      System.arraycopy(moreSamples, 0, all, samples.length, moreSamples.length);
      samples = all;
    }

    Result result() {
      long[] sorted = samples.clone();
      Arrays.sort(sorted);
      return new Result(name, outstanding, calls * 1e9 / nanos,
          percentile(sorted, 0.50), percentile(sorted, 0.99), errors);
    }
  }

  private void issue(CountDownLatch stopped) {
    long t0 = System.nanoTime();
    CompletableFuture<?> f = caller.apply(sequence.incrementAndGet());
    if (f.isDone()) {
      f.whenCompleteAsync((r, e) -> done(t0, e, stopped), reissue);
    } else {
      f.whenComplete((r, e) -> done(t0, e, stopped));
    }
  }

  private void done(long t0, Throwable error, CountDownLatch stopped) {
    long latency = System.nanoTime() - t0;
    if (error != null) {
      errors.incrementAndGet();
    }
    if (measuring) {
      completed.incrementAndGet();
      int i = sampleCount.getAndIncrement();
      if (i < samples.length) {
        samples[i] = latency;
      }
    } else {
      completed.incrementAndGet();
    }
    if (running) {
      issue(stopped);
    } else {
      stopped.countDown();
    }
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
  }
}
