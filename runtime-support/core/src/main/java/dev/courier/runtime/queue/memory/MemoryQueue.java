package dev.courier.runtime.queue.memory;

import dev.courier.runtime.queue.QueueMessage;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One bounded in-memory request queue. A message counts against the capacity from the moment it is
 * accepted until it is acknowledged, so a message handed back by an aborted worker always fits.
 * Thread-safe.
 */
final class MemoryQueue {
  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notFull = lock.newCondition();
  private final Condition notEmpty = lock.newCondition();
  private final ArrayDeque<QueueMessage> ready = new ArrayDeque<>();
  private int inFlight;

  MemoryQueue(int capacity) {
    this.capacity = capacity;
  }

  /** Adds {@code message}, waiting up to {@code timeoutNanos} for room; false when there is none. */
  boolean offer(QueueMessage message, long timeoutNanos) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      long nanos = timeoutNanos;
      while (ready.size() + inFlight >= capacity) {
        if (nanos <= 0) {
          return false;
        }
        nanos = notFull.awaitNanos(nanos);
      }
      ready.addLast(message);
      notEmpty.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Takes the oldest message (now in flight), waiting up to {@code timeoutMillis}; or null. */
  QueueMessage take(long timeoutMillis) throws InterruptedException {
    lock.lockInterruptibly();
    try {
      long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      while (ready.isEmpty()) {
        if (nanos <= 0) {
          return null;
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
      inFlight++;
      return ready.pollFirst();
    } finally {
      lock.unlock();
    }
  }

  /** A message in flight is done. */
  void acknowledge() {
    lock.lock();
    try {
      inFlight--;
      notFull.signal();
    } finally {
      lock.unlock();
    }
  }

  /** A message in flight goes back to the head of the queue, to be delivered again. */
  void requeue(QueueMessage message) {
    lock.lock();
    try {
      inFlight--;
      ready.addFirst(message);
      notEmpty.signal();
    } finally {
      lock.unlock();
    }
  }

  int capacity() {
    return capacity;
  }
}
