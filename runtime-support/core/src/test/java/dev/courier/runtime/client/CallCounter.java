package dev.courier.runtime.client;

import java.util.concurrent.TimeUnit;

/**
 * Counts the calls a test server received and lets a test wait for a count: for a test that must
 * know a call reached the server (a wait for another thread, not for time). Thread-safe.
 */
public final class CallCounter {
  private final String owner;
  private int count; // guarded by this

  /** {@code owner} names the server in the failure message. */
  public CallCounter(String owner) {
    this.owner = owner;
  }

  /** Counts one more call and wakes the waiters; returns the new count. */
  public synchronized int increment() {
    count++;
    notifyAll();
    return count;
  }

  /** How many calls arrived so far. */
  public synchronized int get() {
    return count;
  }

  /** Waits until {@code expected} calls arrived in all, or fails after 10 s. */
  public synchronized void await(int expected) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (count < expected) {
      long left = until - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(owner + " received " + count + " calls (expected: " + expected + ")");
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }
}
