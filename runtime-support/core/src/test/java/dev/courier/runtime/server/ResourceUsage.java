package dev.courier.runtime.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the attack tests measure before and after each case: the JVM's live platform threads
 * ({@link ThreadMXBean}) and their peak, the server's {@code courier-call-} threads, and the
 * process's resident set ({@code VmRSS} in {@code /proc/self/status}; -1 where there is none).
 */
record ResourceUsage(int threads, int peakThreads, long callThreads, long rssMiB) {
  static ResourceUsage now() {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    long callThreads = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("courier-call-")).count();
    return new ResourceUsage(bean.getThreadCount(), bean.getPeakThreadCount(), callThreads, residentMiB());
  }

  private static long residentMiB() {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return -1;
    }
    try {
      return Files.readAllLines(status).stream()
          .filter(line -> line.startsWith("VmRSS:"))
          .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024)
          .findFirst().orElse(-1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts counting the peak from now, so that {@link #peakThreads} is the case's, not the JVM's. */
  static ResourceUsage resetPeakAndMeasure() {
    ManagementFactory.getThreadMXBean().resetPeakThreadCount();
    return now();
  }

  /**
   * The {@code SERVER-UNDER-ATTACK} line of one case: the threads and RSS before and after it (after
   * the ordinary calls that follow it), the log lines it caused, and what else it measured.
   */
  static void print(String name, ResourceUsage before, ResourceUsage after, String measured) {
    System.out.printf("SERVER-UNDER-ATTACK %s (Java %d): threads before %d, after %d (peak %d); RSS before %d MiB,"
            + " after %d MiB; %s%n", name, Runtime.version().feature(), before.threads, after.threads,
        after.peakThreads, before.rssMiB, after.rssMiB, measured);
  }
}
