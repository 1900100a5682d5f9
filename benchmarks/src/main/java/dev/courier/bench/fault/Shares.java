package dev.courier.bench.fault;

import dev.courier.runtime.observe.LiveClients;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Samples how many calls each replica ran, every {@value #STEP_MILLIS} ms on its own thread, so
 * that one replica's share of the traffic can be followed over time (a replica back after an
 * outage, a replica joining). Started and stopped by the scenario.
 */
final class Shares implements AutoCloseable {
  static final int STEP_MILLIS = 50;
  /**
   * With {@code -Dfault.trace=true} every sample also prints, for each live Courier client, each
   * endpoint's health, calls in flight and latency estimate as its balancer sees them: what shows
   * why a replica's share moved, and the client threads that delivered each endpoint's answers
   * since the last sample ({@link ResponseThreads}).
   */
  static final boolean TRACE = Boolean.getBoolean("fault.trace");

  /** Executions of the watched replica and of all replicas, at one moment. */
  private record Sample(long atNanos, int watched, int total) {}

  private final IntSupplier watched;
  private final List<IntSupplier> all;
  private final List<Sample> samples = new ArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  Shares(IntSupplier watched, List<IntSupplier> all) {
    this.watched = watched;
    this.all = List.copyOf(all);
    this.thread = new Thread(this::sample, "shares");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void sample() {
    while (running) {
      take();
      try {
        TimeUnit.MILLISECONDS.sleep(STEP_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void take() {
    int total = 0;
    for (IntSupplier s : all) {
      total += s.getAsInt();
    }
    Sample sample = new Sample(System.nanoTime(), watched.getAsInt(), total);
    synchronized (samples) {
      samples.add(sample);
    }
    if (TRACE) {
      System.out.println(trace(sample));
    }
  }

  private static String trace(Sample sample) {
    StringBuilder line = new StringBuilder(String.format("trace %d ms: watched %d of %d", sample.atNanos / 1_000_000,
        sample.watched, sample.total));
    for (LiveClients.ClientSnapshot client : LiveClients.snapshot()) {
      for (LiveClients.EndpointSnapshot e : client.endpoints()) {
        line.append(String.format(" | %s %s, %d in flight, %.0f us", e.authority(), e.health(), e.inFlight(),
            e.latencyNanos() / 1e3));
      }
    }
    line.append(" | answered on ").append(ResponseThreads.drain());
    return line.toString();
  }

  /** The first moment after {@code fromNanos} at which the watched replica had run a call, or -1. */
  long firstCallAt(long fromNanos) {
    synchronized (samples) {
      Integer base = null;
      for (Sample s : samples) {
        if (s.atNanos < fromNanos || base == null) {
          base = s.watched;
        } else if (s.watched > base) {
          return s.atNanos;
        }
      }
    }
    return -1;
  }

  /**
   * The first moment after {@code fromNanos} at which the watched replica's share of the calls of
   * the last {@code windowMillis} reached {@code share}, or -1.
   */
  long reachedShareAt(long fromNanos, double share, int windowMillis) {
    int steps = Math.max(1, windowMillis / STEP_MILLIS);
    synchronized (samples) {
      for (int i = steps; i < samples.size(); i++) {
        Sample now = samples.get(i);
        Sample then = samples.get(i - steps);
        if (then.atNanos < fromNanos) {
          continue;
        }
        int total = now.total - then.total;
        if (total > 0 && (double) (now.watched - then.watched) / total >= share) {
          return now.atNanos;
        }
      }
    }
    return -1;
  }

  /** The watched replica's share of the calls in each {@code stepMillis} after {@code fromNanos}, {@code count} of them. */
  List<Double> sharesAfter(long fromNanos, int stepMillis, int count) {
    List<Double> out = new ArrayList<>();
    synchronized (samples) {
      int i = 0;
      while (i < samples.size() && samples.get(i).atNanos < fromNanos) {
        i++;
      }
      int steps = Math.max(1, stepMillis / STEP_MILLIS);
      for (int k = 0; k < count && i + steps < samples.size(); k++, i += steps) {
        Sample a = samples.get(i);
        Sample b = samples.get(i + steps);
        int total = b.total - a.total;
        out.add(total == 0 ? 0.0 : (double) (b.watched - a.watched) / total);
      }
    }
    return out;
  }

  /** Stops sampling once the scenario's load has ended, and takes a last sample; read the shares after it. */
  void stop() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join();
    take();
  }

  /** Stops sampling without waiting, when the scenario ends early (its load failed). */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
