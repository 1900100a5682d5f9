package dev.courier.runtime.observe;

import dev.courier.runtime.retry.StopReason;
import io.grpc.Status;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * A listener that counts, in memory: calls by outcome, attempts, retries, spent budgets, ejections
 * and queue events. Thread-safe; {@link #summary()} reads a consistent-enough snapshot for a log
 * line or a demo.
 *
 * <p>Its calls are unary calls ({@link #onCallEnd}): a stream is not counted, since its one
 * attempt, its lack of retries and its open-to-close time say something else than a call's do,
 * and its summary line ("31 calls, 33 attempts, 2 retries") would mix the two. A stream's end
 * reaches {@link #onStreamEnd}, which this class leaves alone. The status page's per-method
 * counts do not come from here (the server's {@code MethodStats} counts every handled call).
 */
public final class CallStats implements CourierListener {
  private final LongAdder calls = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder attempts = new LongAdder();
  private final LongAdder hedges = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder budgetExhausted = new LongAdder();
  private final LongAdder ejections = new LongAdder();
  private final Map<QueueEvent, LongAdder> queue = new EnumMap<>(QueueEvent.class);

  public CallStats() {
    for (QueueEvent e : QueueEvent.values()) {
      queue.put(e, new LongAdder());
    }
  }

  @Override
  public void onAttempt(String method, String endpoint, int attempt, boolean hedged) {
    attempts.increment();
    if (hedged) {
      hedges.increment();
    }
  }

  @Override
  public void onRetry(String method, int nextAttempt, long backoffNanos) {
    retries.increment();
  }

  @Override
  public void onBudgetExhausted(String method) {
    budgetExhausted.increment();
  }

  @Override
  public void onEjection(String endpoint, long nanos) {
    ejections.increment();
  }

  @Override
  public void onCallEnd(String method, Status.Code code, long nanos, int attemptCount, StopReason stopReason) {
    calls.increment();
    if (code != Status.Code.OK) {
      failed.increment();
    }
  }

  @Override
  public void onQueueEvent(String method, QueueEvent event) {
    queue.get(event).increment();
  }

  public long calls() {
    return calls.sum();
  }

  public long failed() {
    return failed.sum();
  }

  public long attempts() {
    return attempts.sum();
  }

  public long hedges() {
    return hedges.sum();
  }

  public long retries() {
    return retries.sum();
  }

  public long budgetExhausted() {
    return budgetExhausted.sum();
  }

  public long ejections() {
    return ejections.sum();
  }

  public long queue(QueueEvent event) {
    return queue.get(event).sum();
  }

  /** One line: {@code 31 calls (1 failed), 33 attempts, 2 retries, 0 hedges, ...}. */
  public String summary() {
    return calls() + " calls (" + failed() + " failed), " + attempts() + " attempts, " + retries() + " retries, "
        + hedges() + " hedges, " + budgetExhausted() + " budget refusals, " + ejections() + " ejections; queue: "
        + queue(QueueEvent.SENT) + " sent, " + queue(QueueEvent.EXECUTED) + " executed, "
        + queue(QueueEvent.REPLIED) + " replied, " + queue(QueueEvent.DEAD_LETTERED) + " dead-lettered";
  }

  @Override
  public String toString() {
    return "CallStats{" + summary() + '}';
  }
}
