package dev.courier.bench.fault;

import dev.courier.runtime.CourierException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load for a fixed time: {@code threads} workers call back to back, call {@code i}
 * with request id {@code prefix + i}, for {@code duration}. Every call's latency is kept, the
 * failed calls' apart, so that both the calls' p99 and the time failed calls took to fail can be
 * read. An optional trigger runs once, on its own thread, {@code triggerAfter} into the run (a
 * kill, a fault switched on).
 */
final class TimedLoad {
  /** One call: throws on failure. */
  @FunctionalInterface
  interface Call {
    void run(String id) throws Exception;
  }

  /** What one run measured. */
  record Result(long calls, double seconds, long[] latencyNanos, long[] failedNanos, Map<String, Long> failures,
      double othersCpuShare, double cpuNanos) {
    /** CPU time per call of this JVM and its replica JVMs (clients, servers, GC, JIT), in µs; NaN when unknown. */
    double cpuMicrosPerCall() {
      return calls == 0 ? Double.NaN : cpuNanos / 1e3 / calls;
    }

    long failed() {
      return failedNanos.length;
    }

    double callsPerSecond() {
      return calls / seconds;
    }

    double p99Millis() {
      return percentileMillis(latencyNanos, 0.99);
    }

    /** The p99 of the failed calls' latencies (the time they took to fail), or NaN without failures. */
    double failedP99Millis() {
      return failedNanos.length == 0 ? Double.NaN : percentileMillis(failedNanos, 0.99);
    }

    double failedMaxMillis() {
      return failedNanos.length == 0 ? Double.NaN : failedNanos[failedNanos.length - 1] / 1e6;
    }

    /** The {@code q} quantile of ascending {@code sorted}, in ms; NaN when empty. */
    static double percentileMillis(long[] sorted, double q) {
      if (sorted.length == 0) {
        return Double.NaN;
      }
      int index = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * q) - 1));
      return sorted[index] / 1e6;
    }
  }

  private TimedLoad() {}

  static Result run(int threads, Duration duration, String prefix, Call call) throws InterruptedException {
    return run(threads, duration, prefix, call, null, null);
  }

  static Result run(int threads, Duration duration, String prefix, Call call, Duration triggerAfter, Runnable trigger)
      throws InterruptedException {
    AtomicLong next = new AtomicLong();
    Map<String, Long> failures = new ConcurrentHashMap<>();
    List<long[]> latencies = new ArrayList<>();
    List<long[]> failed = new ArrayList<>();
    int[] counts = new int[threads];
    int[] failedCounts = new int[threads];
    OtherLoad loadBefore = OtherLoad.sample();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int me = t;
      latencies.add(new long[1024]);
      failed.add(new long[16]);
      Thread w = new Thread(() -> {
        long[] mine = latencies.get(me);
        long[] myFailed = failed.get(me);
        int n = 0;
        int f = 0;
        while (System.nanoTime() < end) {
          String id = prefix + next.getAndIncrement();
          long t0 = System.nanoTime();
          Throwable failure = null;
          try {
            call.run(id);
          } catch (Throwable e) {
            failure = e;
          }
          long took = System.nanoTime() - t0; // when the caller sees the outcome, before anything is made of it
          boolean ok = failure == null;
          if (!ok) {
            failures.merge(kind(failure), 1L, Long::sum);
          }
          if (n == mine.length) {
            mine = Arrays.copyOf(mine, n * 2);
          }
          mine[n++] = took;
          if (!ok) {
            if (f == myFailed.length) {
              myFailed = Arrays.copyOf(myFailed, f * 2);
            }
            myFailed[f++] = took;
          }
        }
        synchronized (latencies) {
          latencies.set(me, mine);
          failed.set(me, myFailed);
          counts[me] = n;
          failedCounts[me] = f;
        }
      }, "load-" + t);
      workers.add(w);
      w.start();
    }
    Thread triggerThread = null;
    if (trigger != null) {
      triggerThread = new Thread(() -> {
        try {
          TimeUnit.NANOSECONDS.sleep(triggerAfter.toNanos());
          trigger.run();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "load-trigger");
      triggerThread.start();
    }
    for (Thread w : workers) {
      w.join();
    }
    if (triggerThread != null) {
      triggerThread.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    OtherLoad loadAfter = OtherLoad.sample();
    double othersShare = OtherLoad.othersShare(loadBefore, loadAfter);
    synchronized (latencies) {
      return new Result(next.get(), seconds, merge(latencies, counts), merge(failed, failedCounts), new TreeMap<>(failures),
          othersShare, OtherLoad.ownCpuNanos(loadBefore, loadAfter));
    }
  }

  private static long[] merge(List<long[]> parts, int[] counts) {
    int total = 0;
    for (int c : counts) {
      total += c;
    }
    long[] all = new long[total];
    int at = 0;
    for (int i = 0; i < parts.size(); i++) {
      System.arraycopy(parts.get(i), 0, all, at, counts[i]);
      at += counts[i];
    }
    Arrays.sort(all);
    return all;
  }

  /** What stopped a failed call: Courier's stop reason and attempts, or the exception's status. */
  private static String kind(Throwable e) {
    if (e instanceof CourierException ce) {
      return ce.code() + "/" + (ce.stopReason() == null ? "-" : ce.stopReason().label()) + "/" + ce.attempts().size();
    }
    if (e instanceof io.grpc.StatusRuntimeException se) {
      return se.getStatus().getCode().toString();
    }
    return e.getClass().getSimpleName();
  }
}
