package dev.courier.bench;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** Drives a call under load for a warm-up and a measured period, and times every call. */
public final class Load {
  /** One blocking call; throws on failure. */
  @FunctionalInterface
  interface BlockingCall {
    void call() throws Exception;
  }

  private Load() {}

  /** {@code threads} threads calling back to back. */
  static Result blocking(String name, int threads, double warmupSeconds, double seconds, BlockingCall call)
      throws InterruptedException {
    run(threads, warmupSeconds, call, null);
    Recorder recorder = new Recorder();
    long start = System.nanoTime();
    run(threads, seconds, call, recorder);
    return recorder.result(name, (System.nanoTime() - start) / 1e9);
  }

  /** Measures {@code seconds} more of blocking calls into {@code recorder}, without warm-up. */
  static void blockingRound(int threads, double seconds, BlockingCall call, Recorder recorder)
      throws InterruptedException {
    long start = System.nanoTime();
    run(threads, seconds, call, recorder);
    recorder.addTime((System.nanoTime() - start) / 1e9);
  }

  /** Measures {@code seconds} more of asynchronous calls into {@code recorder}, without warm-up. */
  static void asyncRound(int inFlight, double seconds, Supplier<CompletableFuture<?>> call, Recorder recorder)
      throws InterruptedException {
    long start = System.nanoTime();
    runAsync(inFlight, seconds, call, recorder);
    recorder.addTime((System.nanoTime() - start) / 1e9);
  }

  private static void run(int threads, double seconds, BlockingCall call, Recorder recorder)
      throws InterruptedException {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      workers[t] = new Thread(() -> {
        long[] own = new long[1 << 16];
        int count = 0;
        long errors = 0;
        long now = System.nanoTime();
        while (now < end) {
          try {
            call.call();
            long done = System.nanoTime();
            if (count == own.length) {
              own = Arrays.copyOf(own, own.length * 2);
            }
            own[count++] = done - now;
            now = done;
          } catch (Exception e) {
            errors++;
            now = System.nanoTime();
          }
        }
        if (recorder != null) {
          recorder.add(own, count, errors);
        }
      }, "load-" + t);
      workers[t].start();
    }
    for (Thread worker : workers) {
      worker.join();
    }
  }

  /** {@code inFlight} calls outstanding at all times; each completion starts the next call. */
  static Result async(String name, int inFlight, double warmupSeconds, double seconds,
      Supplier<CompletableFuture<?>> call) throws InterruptedException {
    runAsync(inFlight, warmupSeconds, call, null);
    Recorder recorder = new Recorder();
    long start = System.nanoTime();
    runAsync(inFlight, seconds, call, recorder);
    return recorder.result(name, (System.nanoTime() - start) / 1e9);
  }

  private static void runAsync(int inFlight, double seconds, Supplier<CompletableFuture<?>> call, Recorder recorder)
      throws InterruptedException {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    CountDownLatch finished = new CountDownLatch(inFlight);
    for (int i = 0; i < inFlight; i++) {
      new Chain(call, end, recorder, finished).next();
    }
    if (!finished.await((long) (seconds * 1e9) + TimeUnit.SECONDS.toNanos(30), TimeUnit.NANOSECONDS)) {
      throw new IllegalStateException("calls still outstanding 30 s after the end of " + seconds + " s");
    }
  }

  /** One slot of the in-flight window: a sequence of calls, each started when the previous ends. */
  private static final class Chain {
    private final Supplier<CompletableFuture<?>> call;
    private final long end;
    private final Recorder recorder;
    private final CountDownLatch finished;
    private long[] own = new long[1 << 12];
    private int count;
    private long errors;

    Chain(Supplier<CompletableFuture<?>> call, long end, Recorder recorder, CountDownLatch finished) {
      this.call = call;
      this.end = end;
      this.recorder = recorder;
      this.finished = finished;
    }

    void next() {
      long start = System.nanoTime();
      if (start >= end) {
        if (recorder != null) {
          recorder.add(own, count, errors);
        }
        finished.countDown();
        return;
      }
      call.get().whenComplete((value, failure) -> {
        if (failure != null) {
          errors++;
        } else {
          if (count == own.length) {
            own = Arrays.copyOf(own, own.length * 2);
          }
          own[count++] = System.nanoTime() - start;
        }
        next();
      });
    }
  }

  /** Gathers the latencies of every thread or chain, over one or more rounds. Thread-safe. */
  public static final class Recorder {
    private long[] all = new long[1 << 16];
    private int count;
    private double seconds;

    public synchronized void addTime(double roundSeconds) {
      seconds += roundSeconds;
    }

    public synchronized Result result(String name) {
      return result(name, seconds);
    }
    private final AtomicLong errors = new AtomicLong();

    public synchronized void add(long[] latencies, int n, long failed) {
      if (count + n > all.length) {
        all = Arrays.copyOf(all, Math.max(all.length * 2, count + n));
      }
      System.arraycopy(latencies, 0, all, count, n);
      count += n;
      errors.addAndGet(failed);
    }

    synchronized Result result(String name, double seconds) {
      return Result.of(name, all, count, errors.get(), seconds, Double.NaN);
    }
  }
}
