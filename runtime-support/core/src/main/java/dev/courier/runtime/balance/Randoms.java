package dev.courier.runtime.balance;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/** Sources of randomness for balancers and backoff. */
public final class Randoms {
  private static final RandomGenerator THREAD_LOCAL = new ThreadLocalGenerator();

  private Randoms() {}

  /**
   * A generator that draws from {@link ThreadLocalRandom#current()} on every call: thread-safe
   * without contention, and the default everywhere in the runtime.
   */
  public static RandomGenerator threadLocal() {
    return THREAD_LOCAL;
  }

  private static final class ThreadLocalGenerator implements RandomGenerator {
    @Override
    public long nextLong() {
      return ThreadLocalRandom.current().nextLong();
    }

    @Override
    public int nextInt(int bound) {
      return ThreadLocalRandom.current().nextInt(bound);
    }

    @Override
    public long nextLong(long bound) {
      return ThreadLocalRandom.current().nextLong(bound);
    }

    @Override
    public double nextDouble() {
      return ThreadLocalRandom.current().nextDouble();
    }
  }
}
