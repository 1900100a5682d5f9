package dev.courier.bench;

import java.util.Arrays;

/** What one scenario measured. Immutable. */
public record Result(String name, long calls, long errors, double seconds, long p50Nanos, long p99Nanos, double attemptsPerCall) {
  static Result of(String name, long[] latencies, int count, long errors, double seconds, double attemptsPerCall) {
    long[] sorted = Arrays.copyOf(latencies, count);
    Arrays.sort(sorted);
    long p50 = count == 0 ? 0 : sorted[(int) (count * 0.50)];
    long p99 = count == 0 ? 0 : sorted[Math.min(count - 1, (int) (count * 0.99))];
    return new Result(name, count + errors, errors, seconds, p50, p99, attemptsPerCall);
  }

  public double callsPerSecond() {
    return calls / seconds;
  }

  String row(Result baseline) {
    String ratio = baseline == null ? "" : String.format("%.2fx", callsPerSecond() / baseline.callsPerSecond());
    String attempts = Double.isNaN(attemptsPerCall) ? "" : String.format("%.2f", attemptsPerCall);
    return String.format("| %-52s | %9.0f | %7.3f | %7.3f | %6s | %6d | %8s |",
        name, callsPerSecond(), p50Nanos / 1e6, p99Nanos / 1e6, ratio, errors, attempts);
  }

  static String header() {
    return "| scenario                                             |   calls/s | p50 ms  | p99 ms  | ratio  | errors | attempts |\n"
        + "|------------------------------------------------------|-----------|---------|---------|--------|--------|----------|";
  }
}
