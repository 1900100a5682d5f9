package dev.courier.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.client.ClientBuilder;
import dev.courier.runtime.client.ClientRuntime;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server built with {@link CourierServer.Builder#drainOnShutdown()} in its own JVM ({@link
 * SigtermServerMain}) is stopped with SIGTERM ({@link ProcessHandle#destroy()}) while a Courier client
 * has idempotent calls in flight on it and on a second replica in this JVM.
 */
@Tag("slow") // starts a server JVM and stops it with SIGTERM
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SigtermDrainTest {
  private static final RpcMethod<StringValue, StringValue> CALL = TestServices.call(0);
  private static final long GRACE_MILLIS = 5_000;
  private static final long CALL_MILLIS = 200;
  /** The child's START line that triggers SIGTERM: the connections are up and the code warm by then. */
  private static final int SIGTERM_AT_START = 20;
  private static final int THREADS = 4;

  @Test
  void sigtermDrainsTheCallsInFlightThenTheJvmExitsWith143() throws Exception {
    CourierServer local = CourierServer.builder().address("127.0.0.1", 0)
        .addService(TestServices.service(CALL, request -> StringValue.of("local"))).start();
    Map<String, String> answers = new ConcurrentHashMap<>();
    Map<String, Throwable> failures = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> callers = new ArrayList<>();
    try (Child child = Child.start();
         ClientRuntime client = ClientBuilder.forService(TestServices.SERVICE, runtime -> runtime)
             .target(local.target() + ",127.0.0.1:" + child.port).deadline(Duration.ofSeconds(10))
             .balancer(BalancerKind.ROUND_ROBIN) // calls on the child however slow its answers
             .build()) {
      AtomicInteger next = new AtomicInteger();
      for (int t = 0; t < THREADS; t++) {
        Thread caller = new Thread(() -> {
          while (!stop.get()) {
            String id = "c-" + next.getAndIncrement();
            try {
              answers.put(id, client.blockingUnary(CALL, StringValue.of(id)).getValue());
            } catch (RuntimeException e) {
              failures.put(id, e);
            }
          }
        }, "caller-" + t);
        callers.add(caller);
        caller.start();
      }
      assertThat(child.terminated.await(20, TimeUnit.SECONDS)).as("SIGTERM sent").isTrue();
      long sigterm = System.nanoTime();
      boolean exited = child.process.waitFor(GRACE_MILLIS + 5_000, TimeUnit.MILLISECONDS);
      long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigterm);
      stop.set(true);
      for (Thread caller : callers) {
        caller.join(15_000);
      }
      child.reader.join(5_000);

      assertThat(exited).as("the child exited within the grace period + 5 s").isTrue();
      assertThat(child.process.exitValue()).as("exit code after SIGTERM (128 + 15)").isEqualTo(143);
      assertThat(exitMillis).as("ms from SIGTERM to exit").isLessThan(GRACE_MILLIS + 5_000);
      assertThat(failures).as("failed idempotent calls").isEmpty();
      Set<String> inFlight = new HashSet<>(child.startedAtSigterm);
      inFlight.removeAll(child.doneAtSigterm);
      assertThat(inFlight).as("calls in flight on the child at SIGTERM").isNotEmpty();
      assertThat(child.done).as("calls the child completed (all it started)").containsAll(child.started);
      for (String id : child.started) {
        assertThat(answers.get(id)).as("the answer to %s, which the child started", id).isEqualTo("child");
      }
      assertThat(answers.values()).as("answers after SIGTERM came from the other replica too").contains("local");
    } finally {
      stop.set(true);
      for (Thread caller : callers) {
        caller.join(15_000);
      }
      local.shutdownNow();
    }
  }

  /** The child JVM and what its stdout said; SIGTERM goes out when it prints its {@value #SIGTERM_AT_START}th START. */
  private static final class Child implements AutoCloseable {
    final Process process;
    final Thread reader;
    final CompletableFuture<Integer> portLine = new CompletableFuture<>();
    final Set<String> started = ConcurrentHashMap.newKeySet();
    final Set<String> done = ConcurrentHashMap.newKeySet();
    final CountDownLatch terminated = new CountDownLatch(1);
    volatile Set<String> startedAtSigterm = Set.of();
    volatile Set<String> doneAtSigterm = Set.of();
    int port;

    private Child() throws IOException {
      process = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
              "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
              SigtermServerMain.class.getName(), Long.toString(GRACE_MILLIS), Long.toString(CALL_MILLIS))
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      reader = new Thread(this::read, "sigterm-child-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    static Child start() throws Exception {
      Child child = new Child();
      try {
        child.port = child.portLine.get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        child.close();
        throw e;
      }
      return child;
    }

    private void read() {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (line.startsWith("PORT ")) {
            portLine.complete(Integer.parseInt(line.substring(5)));
          } else if (line.startsWith("START ")) {
            started.add(line.substring(6));
            if (started.size() == SIGTERM_AT_START) {
              // This call started a moment ago and takes CALL_MILLIS: it is in flight.
              startedAtSigterm = Set.copyOf(started);
              doneAtSigterm = Set.copyOf(done);
              // SIGTERM. Not Process.destroy(), which also closes our end of its stdout: the DONE
              // lines of the drain would be lost.
              process.toHandle().destroy();
              terminated.countDown();
            }
          } else if (line.startsWith("DONE ")) {
            done.add(line.substring(5));
          }
        }
      } catch (IOException e) {
        // The process ended.
      }
      portLine.completeExceptionally(new IllegalStateException("the server process ended before serving"));
    }

    @Override
    public void close() {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
