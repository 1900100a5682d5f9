package dev.courier.runtime.queue;

import java.time.Duration;

/**
 * Waits on the current thread; what a worker's lane uses between two attempts of a failing handler,
 * so that tests can see the waits without spending them.
 */
@FunctionalInterface
interface Sleeper {
  /** {@link Thread#sleep}. */
  Sleeper SYSTEM = delay -> Thread.sleep(delay.toMillis(), (int) (delay.toNanos() % 1_000_000));

  void sleep(Duration delay) throws InterruptedException;
}
