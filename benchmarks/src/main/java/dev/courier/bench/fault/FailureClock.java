package dev.courier.bench.fault;

import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.retry.StopReason;
import io.grpc.Status;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * When Courier's client failed its calls, as its listener hears it: the call's age when its future
 * is failed, on the thread that fails it. Set beside what the caller measured (the time at which
 * the caller sees the failure), it tells the client's lateness from the caller's wake-up.
 */
final class FailureClock implements CourierListener {
  private final ConcurrentLinkedQueue<Long> failedNanos = new ConcurrentLinkedQueue<>();

  @Override
  public void onCallEnd(String method, Status.Code code, long nanos, int attempts, StopReason stopReason) {
    if (code != Status.Code.OK) {
      failedNanos.add(nanos);
    }
  }

  void reset() {
    failedNanos.clear();
  }

  /** "p99 (max) ms" of the failed calls' ages when the client failed them, or "" without one. */
  String summary() {
    long[] sorted = failedNanos.stream().mapToLong(Long::longValue).sorted().toArray();
    if (sorted.length == 0) {
      return "";
    }
    return String.format("%.1f (%.1f)", TimedLoad.Result.percentileMillis(sorted, 0.99),
        sorted[sorted.length - 1] / 1e6);
  }
}
