package dev.courier.bench.queue;

import dev.courier.bench.Load;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * A closed loop: keeps {@code outstanding} calls in flight, each completion starting the next, for a
 * warm-up and then a measured window that it adds to a {@link Load.Recorder}. Unlike {@link Load}'s
 * own loop it starts the next call on another thread when a call completed before it returned (a
 * publish refused at once, say), so that such calls cannot recurse on one stack.
 */
final class LoadLoop {
  private final LongFunction<CompletableFuture<?>> caller;
  private final Executor reissue;
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final long[] samples = new long[8_000_000];
  private final AtomicInteger sampleCount = new AtomicInteger();
  private volatile boolean measuring;
  private volatile boolean running = true;

  private LoadLoop(LongFunction<CompletableFuture<?>> caller, Executor reissue) {
    this.caller = caller;
    this.reissue = reissue;
  }

  /**
   * What one measured window did.
   *
   * @param callsPerSecond calls ended per second, failures included
   * @param calls calls ended in the window
   * @param allocatedBytes bytes allocated in the whole JVM (every thread, the broker's included) during
   *     the window
   * @param cpuNanos CPU time spent in the window, by thread group ({@link ThreadCpu#since})
   */
  record Window(double callsPerSecond, long calls, long allocatedBytes, java.util.Map<String, Long> cpuNanos) {}

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

  /**
   * Runs {@code outstanding} calls for a warm-up and then a measured window, and adds the window
   * (its successful calls' latencies, its failures and its length) to {@code recorder}.
   *
   * @return the measured window's throughput, calls and allocation
   */
  static Window run(Load.Recorder recorder, int outstanding, long warmupMillis, long measureMillis,
      LongFunction<CompletableFuture<?>> caller, Executor reissue) throws InterruptedException {
    LoadLoop loop = new LoadLoop(caller, reissue);
    CountDownLatch stopped = new CountDownLatch(outstanding);
    for (int i = 0; i < outstanding; i++) {
      loop.issue(stopped);
    }
    Thread.sleep(warmupMillis);
    ThreadCpu cpuBefore = ThreadCpu.now();
    long allocatedBefore = THREADS.getTotalThreadAllocatedBytes();
    loop.measuring = true;
    long start = System.nanoTime();
    Thread.sleep(measureMillis);
    loop.measuring = false;
    long elapsed = System.nanoTime() - start;
    long allocated = THREADS.getTotalThreadAllocatedBytes() - allocatedBefore;
    java.util.Map<String, Long> cpu = ThreadCpu.now().since(cpuBefore);
    loop.running = false;
    stopped.await(30, TimeUnit.SECONDS);
    recorder.add(loop.samples, Math.min(loop.sampleCount.get(), loop.samples.length), loop.errors.get());
    recorder.addTime(elapsed / 1e9);
    long calls = loop.sampleCount.get() + loop.errors.get();
    return new Window(calls / (elapsed / 1e9), calls, allocated, cpu);
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
    if (measuring) {
      if (error != null) {
        errors.incrementAndGet();
      } else {
        int i = sampleCount.getAndIncrement();
        if (i < samples.length) {
          samples[i] = latency;
        }
      }
    }
    if (running) {
      issue(stopped);
    } else {
      stopped.countDown();
    }
  }
}
