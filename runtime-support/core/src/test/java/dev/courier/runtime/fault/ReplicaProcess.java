package dev.courier.runtime.fault;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link FaultReplica} in its own JVM, started from the current classpath, so that it can be killed
 * for real with SIGKILL ({@link Process#destroyForcibly()}). Executions are read from its stdout
 * as they happen; after a kill they are exactly what it ran before dying.
 */
public final class ReplicaProcess implements AutoCloseable {
  private final Process process;
  private final Thread reader;
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final Map<String, AtomicInteger> perId = new ConcurrentHashMap<>();
  private final AtomicInteger executions = new AtomicInteger();

  private ReplicaProcess(String name) throws IOException {
    process = new ProcessBuilder(
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
            FaultReplica.class.getName(), "0", name)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    reader = new Thread(this::read, "replica-" + name + "-stdout");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts the process and waits until it serves. */
  public static ReplicaProcess start(String name) throws Exception {
    ReplicaProcess p = new ReplicaProcess(name);
    try {
      p.port.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.close();
      throw e;
    }
    return p;
  }

  public int port() {
    return port.join();
  }

  public int executions() {
    return executions.get();
  }

  public Map<String, AtomicInteger> perId() {
    return perId;
  }

  /** SIGKILL: no shutdown hook, no goodbye on the connections. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Waits until the process's output is read to its end (after a kill). */
  public void drain() throws InterruptedException {
    reader.join(5_000);
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("RAN ")) {
          executions.incrementAndGet();
          perId.computeIfAbsent(line.substring(4), k -> new AtomicInteger()).incrementAndGet();
        } else if (line.startsWith("PORT ")) {
          port.complete(Integer.parseInt(line.substring(5)));
        }
      }
    } catch (IOException e) {
      // Killed: the output ends here.
    }
    port.completeExceptionally(new IllegalStateException("the replica process ended before serving"));
  }

  @Override
  public void close() {
    try {
      kill();
      drain();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
