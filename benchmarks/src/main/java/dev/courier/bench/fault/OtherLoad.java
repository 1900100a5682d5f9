package dev.courier.bench.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How much of the machine's CPU went elsewhere while a run was measured: to processes other than
 * this benchmark and the replica JVMs it started, and to the hypervisor (steal). A loaded machine
 * moves a closed-loop run's calls/s and p99 more than any change in the client does, so each row
 * says how quiet its machine was, and a reading from a busy machine can be told from a regression.
 *
 * <p>Linux only: the machine's busy time is read from {@code /proc/stat}; elsewhere the share is
 * unknown (NaN).
 */
final class OtherLoad {
  private static final Path PROC_STAT = Path.of("/proc/stat");
  /** {@code /proc/stat} counts in clock ticks, which are 100 a second on every Linux build that matters here. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private final long machineBusyNanos;
  private final long machineTotalNanos;
  private final long ownNanos;

  private OtherLoad(long machineBusyNanos, long machineTotalNanos, long ownNanos) {
    this.machineBusyNanos = machineBusyNanos;
    this.machineTotalNanos = machineTotalNanos;
    this.ownNanos = ownNanos;
  }

  /** The counters now; {@code null} where {@code /proc/stat} cannot be read. */
  static OtherLoad sample() {
    long[] ticks = machineTicks();
    if (ticks == null) {
      return null;
    }
    return new OtherLoad(ticks[0] * NANOS_PER_TICK, ticks[1] * NANOS_PER_TICK, ownCpuNanos());
  }

  /**
   * The share of the machine's CPU time between {@code before} and {@code after} that was busy
   * with someone else's work (or stolen), from 0 to 1; NaN when either sample is missing.
   */
  static double othersShare(OtherLoad before, OtherLoad after) {
    if (before == null || after == null || after.machineTotalNanos <= before.machineTotalNanos) {
      return Double.NaN;
    }
    long busy = after.machineBusyNanos - before.machineBusyNanos;
    long own = after.ownNanos - before.ownNanos;
    double share = (double) (busy - own) / (after.machineTotalNanos - before.machineTotalNanos);
    return Math.max(0, Math.min(1, share));
  }

  /**
   * The CPU time this JVM and the processes it started used between {@code before} and {@code
   * after}, in ns; NaN when either sample is missing.
   */
  static double ownCpuNanos(OtherLoad before, OtherLoad after) {
    return before == null || after == null ? Double.NaN : after.ownNanos - before.ownNanos;
  }

  /** This JVM's CPU time and that of every process it started (the replica JVMs). */
  private static long ownCpuNanos() {
    long total = cpuNanos(ProcessHandle.current());
    for (ProcessHandle child : (Iterable<ProcessHandle>) ProcessHandle.current().descendants()::iterator) {
      total += cpuNanos(child);
    }
    return total;
  }

  private static long cpuNanos(ProcessHandle process) {
    Optional<Duration> cpu = process.info().totalCpuDuration();
    return cpu.isPresent() ? cpu.get().toNanos() : 0;
  }

  /** The first line of {@code /proc/stat}: busy ticks (all but idle and iowait) and all ticks, or null. */
  private static long[] machineTicks() {
    String line;
    try {
      line = Files.readAllLines(PROC_STAT).get(0);
    } catch (IOException | RuntimeException e) {
      return null;
    }
    // cpu user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
    String[] fields = line.trim().split("\\s+");
    if (fields.length < 9 || !fields[0].equals("cpu")) {
      return null;
    }
    long busy = 0;
    long total = 0;
    for (int i = 1; i <= 8; i++) {
      long ticks = Long.parseLong(fields[i]);
      total += ticks;
      if (i != 4 && i != 5) {
        busy += ticks;
      }
    }
    return new long[] {busy, total};
  }
}
