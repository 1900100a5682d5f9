package dev.courier.bench.fault;

import java.util.ArrayList;
import java.util.List;

/**
 * The comparison's output: one Markdown row per measured run and one line per "done when" check
 * of issue 14, each printed as it comes and again together at the end.
 */
final class FaultReport {
  private final List<String> rows = new ArrayList<>();
  private final List<String> checks = new ArrayList<>();

  /** A measured run's row; {@code attemptsPerCall} NaN when it is not known. */
  void row(String scenario, String client, TimedLoad.Result r, double attemptsPerCall, String note) {
    String failedEnd = r.failed() == 0 ? "" : String.format("%.1f (%.1f)", r.failedP99Millis(), r.failedMaxMillis());
    String others = Double.isNaN(r.othersCpuShare()) ? "" : String.format("%.0f%%", 100 * r.othersCpuShare());
    String cpu = Double.isNaN(r.cpuMicrosPerCall()) ? "" : String.format("%.1f", r.cpuMicrosPerCall());
    String row = String.format("| %s | %s | %.0f | %d | %d | %s | %.2f | %s | %s | %s | %s |", scenario, client,
        r.callsPerSecond(), r.calls(), r.failed(), Double.isNaN(attemptsPerCall) ? "" : String.format("%.3f", attemptsPerCall),
        r.p99Millis(), failedEnd, cpu, others, note);
    System.out.println(row + (r.failures().isEmpty() ? "" : "  failures: " + r.failures()));
    rows.add(row);
  }

  /** A check of the issue: what was measured, and whether it meets the bound. */
  void check(String what, String value, boolean met) {
    String line = "- " + what + ": " + value + " — " + (met ? "met" : "NOT met");
    System.out.println(line);
    checks.add(line);
  }

  /** The table of every row, then the checks, under a line that names the machine and the settings. */
  void print(FaultSettings settings) {
    System.out.println();
    System.out.printf("Java %s, %d cores, %s, max heap %d MB; %d s per measured run (%d s warm-up before each,"
            + " %d s for each client before the first), %d threads; loopback 127.0.0.1%n",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"),
        Runtime.getRuntime().maxMemory() >> 20, settings.run().toSeconds(), settings.warmUp().toSeconds(),
        settings.jvmWarmUp().toSeconds(), settings.threads());
    System.out.println("Others' CPU: the share of the machine's CPU time, during the measured run, that went to processes"
        + " other than this benchmark and its replica JVMs, or was stolen by the hypervisor; a busy machine lowers"
        + " calls/s and raises p99 on both sides. CPU µs/call: the CPU time of this JVM and its replica JVMs"
        + " (both ends of every call, GC and JIT included) over the calls of the run.");
    System.out.println("| scenario | client | calls/s | calls | failed | attempts/call | p99 ms"
        + " | failed calls end, p99 (max) ms | CPU µs/call | others' CPU | notes |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
    rows.forEach(System.out::println);
    System.out.println();
    checks.forEach(System.out::println);
  }

  /** Percentages, rounded, separated by spaces. */
  static String percents(List<Double> shares) {
    StringBuilder text = new StringBuilder();
    for (double s : shares) {
      text.append(text.length() == 0 ? "" : " ").append(Math.round(s * 100));
    }
    return text.toString();
  }
}
