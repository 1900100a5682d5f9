package dev.courier.runtime.fault;

import dev.courier.runtime.CourierException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs {@code calls} blocking calls on {@code threads} threads, call {@code i} with request id
 * {@code prefix + i}, and records each call's latency and failure. An optional trigger runs once,
 * on the worker that starts call number {@code triggerAt} (for a kill mid-run).
 */
public final class LoadRun {
  /** One call: throws on failure. */
  @FunctionalInterface
  public interface Call {
    void run(String id) throws Exception;
  }

  final int calls;
  final long[] latencyNanos;
  final Map<String, Throwable> failures = new ConcurrentHashMap<>();
  long elapsedNanos;

  private LoadRun(int calls) {
    this.calls = calls;
    this.latencyNanos = new long[calls];
  }

  public static LoadRun run(int calls, int threads, String prefix, Call call, int triggerAt, Runnable trigger)
      throws InterruptedException {
    LoadRun run = new LoadRun(calls);
    AtomicInteger next = new AtomicInteger();
    long start = System.nanoTime();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread w = new Thread(() -> {
        for (int i = next.getAndIncrement(); i < calls; i = next.getAndIncrement()) {
          if (i == triggerAt && trigger != null) {
            trigger.run();
          }
          String id = prefix + i;
          long t0 = System.nanoTime();
          try {
            call.run(id);
          } catch (Throwable e) {
            run.failures.put(id, e);
          }
          run.latencyNanos[i] = System.nanoTime() - t0;
        }
      }, "load-" + t);
      workers.add(w);
      w.start();
    }
    for (Thread w : workers) {
      w.join();
    }
    run.elapsedNanos = System.nanoTime() - start;
    return run;
  }

  public static LoadRun run(int calls, int threads, String prefix, Call call) throws InterruptedException {
    return run(calls, threads, prefix, call, -1, null);
  }

  public int failed() {
    return failures.size();
  }

  public double successRate() {
    return 1.0 - (double) failed() / calls;
  }

  public double p99Millis() {
    long[] sorted = latencyNanos.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] / 1e6;
  }

  public double callsPerSecond() {
    return calls / (elapsedNanos / 1e9);
  }

  /** A few failures, as messages, for assertion output. */
  public String sampleFailures(int max) {
    StringBuilder sb = new StringBuilder();
    failures.values().stream().limit(max).forEach(e -> sb.append("\n  ").append(e instanceof CourierException ce
        ? ce.getMessage() : e.toString()));
    return sb.toString();
  }

  /** Failures counted by what stopped them and how many attempts they made, e.g. {@code budget/1=12}. */
  public Map<String, Long> breakdown() {
    Map<String, Long> counts = new java.util.TreeMap<>();
    failures.values().forEach(e -> counts.merge(e instanceof CourierException ce
        ? (ce.stopReason() == null ? "null" : ce.stopReason().label()) + "/" + ce.attempts().size() : e.getClass().getSimpleName(), 1L, Long::sum));
    return counts;
  }

  public String summary() {
    return String.format("%d calls, %d failed %s, p99 %.1f ms, %.0f calls/s", calls, failed(), breakdown(),
        p99Millis(), callsPerSecond());
  }
}
