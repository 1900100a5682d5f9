package dev.courier.bench.fault;

import java.time.Duration;

/**
 * What every scenario of the fault comparison runs with, for both clients alike: the measured
 * run's length, the load's threads, and the warm-up each client gets before it is measured (the
 * same code and the same length on both sides, from here).
 *
 * @param run how long a measured run takes
 * @param threads the closed-loop workers of every run
 * @param warmUp how long each client is driven, on healthy replicas, before each measured run
 * @param jvmWarmUp how long each client is driven before the first scenario ({@link JvmWarmUp})
 */
record FaultSettings(Duration run, int threads, Duration warmUp, Duration jvmWarmUp) {
  /** The warm-up of every client before its measured run. */
  static final Duration WARM_UP = Duration.ofSeconds(2);
  /** The warm-up of every client before the first scenario. */
  static final Duration JVM_WARM_UP = Duration.ofSeconds(6);

  /** {@code [seconds per measured run, default 5] [threads, default 16]}; further arguments name scenarios. */
  static FaultSettings fromArgs(String[] args) {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    return new FaultSettings(Duration.ofSeconds(seconds), threads, WARM_UP, JVM_WARM_UP);
  }

  /** Drives {@code call} for the warm-up, with the load of a measured run; what it measured is discarded. */
  void warmUp(TimedLoad.Call call) throws InterruptedException {
    TimedLoad.run(threads, warmUp, "warm-", call);
  }

  /** A measured run of {@code call}: its request ids start with {@code prefix}. */
  TimedLoad.Result measure(String prefix, TimedLoad.Call call) throws InterruptedException {
    return TimedLoad.run(threads, run, prefix, call);
  }
}
