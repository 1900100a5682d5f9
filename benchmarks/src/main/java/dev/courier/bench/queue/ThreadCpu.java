package dev.courier.bench.queue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time (user and system, from {@link ThreadMXBean#getThreadCpuTime}) of every thread of this JVM,
 * grouped by thread name with its numbers and ids taken out, so that the threads of one kind (a
 * worker's lanes, the broker's request handlers) add up; and the whole process's CPU time, which
 * also holds what no Java thread is charged for (GC, the JIT compilers). For the benchmark's
 * {@code threadCpu} report: where the CPU of each side's calls went, kernel time included, which a
 * sampling profiler of Java frames does not see.
 */
final class ThreadCpu {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  /** The group the process's time that no Java thread is charged for goes to. */
  static final String OTHER = "(GC, JIT and other VM threads)";

  private final Map<Long, Long> byThread;
  private final Map<Long, String> names;
  private final long process;

  private ThreadCpu(Map<Long, Long> byThread, Map<Long, String> names, long process) {
    this.byThread = byThread;
    this.names = names;
    this.process = process;
  }

  static ThreadCpu now() {
    Map<Long, Long> byThread = new HashMap<>();
    Map<Long, String> names = new HashMap<>();
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = THREADS.getThreadCpuTime(info.getThreadId());
      if (cpu >= 0) {
        byThread.put(info.getThreadId(), cpu);
        names.put(info.getThreadId(), info.getThreadName());
      }
    }
    return new ThreadCpu(byThread, names, OS.getProcessCpuTime());
  }

  /** The CPU nanoseconds spent from {@code before} to this snapshot, by thread group; {@link #OTHER} for the rest. */
  Map<String, Long> since(ThreadCpu before) {
    Map<String, Long> groups = new TreeMap<>();
    long threads = 0;
    for (Map.Entry<Long, Long> e : byThread.entrySet()) {
      long spent = e.getValue() - before.byThread.getOrDefault(e.getKey(), 0L);
      groups.merge(group(names.get(e.getKey())), spent, Long::sum);
      threads += spent;
    }
    groups.put(OTHER, Math.max(0, process - before.process - threads));
    return groups;
  }

  /** A thread's name without what tells threads of one kind apart: numbers, a reply topic's name. */
  static String group(String name) {
    String n = name.startsWith("courier-kafka-replies-") ? "courier-kafka-replies" : name;
    return n.replaceAll("[0-9]+", "N");
  }

  /** Adds {@code spent} to {@code totals}. */
  static void add(Map<String, Long> totals, Map<String, Long> spent) {
    spent.forEach((group, nanos) -> totals.merge(group, nanos, Long::sum));
  }

  /** One line per group: microseconds of CPU per call on each side, the sum first. */
  static void print(String title, Map<String, Long> raw, long rawCalls, Map<String, Long> courier, long courierCalls) {
    System.out.printf(Locale.ROOT, "%n%s: CPU microseconds per call (user + system), by thread%n", title);
    System.out.printf(Locale.ROOT, "| thread | raw | Courier |%n|---|---:|---:|%n");
    System.out.printf(Locale.ROOT, "| all | %.1f | %.1f |%n", total(raw) / 1e3 / rawCalls,
        total(courier) / 1e3 / courierCalls);
    TreeMap<String, Long> groups = new TreeMap<>(raw);
    courier.keySet().forEach(g -> groups.putIfAbsent(g, 0L));
    for (String group : groups.keySet()) {
      double r = raw.getOrDefault(group, 0L) / 1e3 / rawCalls;
      double c = courier.getOrDefault(group, 0L) / 1e3 / courierCalls;
      if (r >= 0.05 || c >= 0.05) {
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f |%n", group, r, c);
      }
    }
  }

  private static long total(Map<String, Long> groups) {
    return groups.values().stream().mapToLong(Long::longValue).sum();
  }
}
