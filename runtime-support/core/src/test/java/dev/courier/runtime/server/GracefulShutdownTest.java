package dev.courier.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.courier.runtime.client.ClientBuilder;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.client.PassiveHealth;
import dev.courier.runtime.RpcMethod;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GracefulShutdownTest {
  private static final RpcMethod<StringValue, StringValue> CALL = TestServices.call(0);

  private static CourierServer server(int port, Duration grace, ServiceBindings.UnaryHandler<StringValue, StringValue> h) {
    return CourierServer.builder().address("127.0.0.1", port).gracePeriod(grace)
        .addService(TestServices.service(CALL, h)).start();
  }

  @Test
  void closeLetsInFlightCallsFinishAndThenRefusesNewOnes() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CourierServer server = server(0, Duration.ofSeconds(5), request -> {
      entered.countDown();
      Thread.sleep(300);
      return request;
    });
    ManagedChannel channel = TestServices.plaintextChannel(server);
    try {
      var inFlight = ClientCalls.futureUnaryCall(channel.newCall(CALL.descriptor(), CallOptions.DEFAULT),
          StringValue.of("in flight"));
      assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

      long started = System.nanoTime();
      server.close();

      assertThat(inFlight.get(1, TimeUnit.SECONDS).getValue()).isEqualTo("in flight");
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(3000);
      StatusRuntimeException refused = null;
      try {
        ClientCalls.blockingUnaryCall(channel, CALL.descriptor(),
            CallOptions.DEFAULT.withDeadlineAfter(2, TimeUnit.SECONDS), StringValue.of("late"));
      } catch (StatusRuntimeException e) {
        refused = e;
      }
      assertThat(refused).isNotNull();
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    } finally {
      TestServices.close(channel);
    }
  }

  @Test
  void callsStillRunningWhenTheGracePeriodEndsAreCancelled() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CourierServer server = server(0, Duration.ofMillis(200), request -> {
      entered.countDown();
      Thread.sleep(10_000);
      return request;
    });
    ManagedChannel channel = TestServices.plaintextChannel(server);
    try {
      var inFlight = ClientCalls.futureUnaryCall(channel.newCall(CALL.descriptor(), CallOptions.DEFAULT),
          StringValue.of("slow"));
      assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();

      long started = System.nanoTime();
      server.close();
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

      assertThat(tookMillis).isBetween(150L, 3000L);
      ExecutionException failed = null;
      try {
        inFlight.get(5, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        failed = e;
      }
      assertThat(failed).isNotNull();
      assertThat(Status.fromThrowable(failed.getCause()).getCode())
          .isIn(Status.Code.CANCELLED, Status.Code.UNAVAILABLE);
    } finally {
      TestServices.close(channel);
    }
  }

  @Test
  void rollingRestartOnTheSamePortsFailsNoIdempotentCall() throws Exception {
    ServiceBindings.UnaryHandler<StringValue, StringValue> handler = request -> {
      Thread.sleep(2); // keeps calls in flight while a replica drains
      return request;
    };
    List<CourierServer> replicas = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      replicas.add(server(0, Duration.ofSeconds(5), handler));
    }
    String targets = String.join(",", replicas.stream().map(CourierServer::target).toList());
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger ok = new AtomicInteger();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    ExecutorService callers = Executors.newFixedThreadPool(4);
    // The client's defaults: 3 attempts, passive health, the retry budget.
    try (ClientRuntime client = ClientBuilder.forService(TestServices.SERVICE, runtime -> runtime)
        .target(targets).deadline(Duration.ofSeconds(5))
        .build()) {
      List<CompletableFuture<Void>> loops = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        loops.add(CompletableFuture.runAsync(() -> {
          while (!stop.get()) {
            try {
              client.blockingUnary(CALL, StringValue.of("x"));
              ok.incrementAndGet();
            } catch (CourierException e) {
              failures.add(e);
            }
          }
        }, callers));
      }
      long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (ok.get() < 20 && System.nanoTime() < warm) {
        Thread.sleep(10); // connections up and code warm before the first restart
      }
      for (int i = 0; i < replicas.size(); i++) {
        int port = replicas.get(i).port();
        int before = ok.get();
        replicas.get(i).close();
        replicas.set(i, server(port, Duration.ofSeconds(5), handler));
        Thread.sleep(1000); // a rolling restart waits for the new replica before the next one goes
        assertThat(ok.get()).as("calls succeed while replica %s restarts", i).isGreaterThan(before);
      }
      stop.set(true);
      CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    } finally {
      stop.set(true);
      callers.shutdownNow();
      replicas.forEach(CourierServer::close);
    }

    assertThat(failures).as("failed calls").isEmpty();
    assertThat(ok.get()).isGreaterThan(50);
  }

  @Test
  void replicaBackAfterALongOutageServesWithinTheEjectionIntervalNotAfterGrpcsReconnectBackoff()
      throws Exception {
    CourierServer steady = server(0, Duration.ZERO, request -> StringValue.of("steady"));
    CourierServer returning = server(0, Duration.ZERO, request -> StringValue.of("returning"));
    int port = returning.port();
    try (ClientRuntime client = ClientBuilder.forService(TestServices.SERVICE, runtime -> runtime)
        .target(steady.target() + "," + returning.target())
        .passiveHealth(new PassiveHealth(1, Duration.ofMillis(100), Duration.ofMillis(200)))
        .build()) {
      for (int i = 0; i < 10; i++) {
        client.blockingUnary(CALL, StringValue.of("x")); // both connected
      }
      returning.close();
      // While it is down, grpc's reconnect backoff grows: about 1 s, then 1.6 s, then 2.6 s (each
      // +-20%), so its reconnects happen within [0.8, 1.2] s and [2.1, 3.1] s, then not before 4.1 s.
      long down = System.nanoTime();
      while (System.nanoTime() - down < TimeUnit.MILLISECONDS.toNanos(3200)) {
        assertThat(client.blockingUnary(CALL, StringValue.of("x")).getValue()).isEqualTo("steady");
        Thread.sleep(5);
      }
      returning = server(port, Duration.ZERO, request -> StringValue.of("returning"));
      long back = System.nanoTime();
      long servedAfterMillis = -1;
      while (System.nanoTime() - back < TimeUnit.SECONDS.toNanos(3)) {
        if (client.blockingUnary(CALL, StringValue.of("x")).getValue().equals("returning")) {
          servedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);
          break;
        }
        Thread.sleep(5);
      }

      // The probe after an ejection (at most 200 ms here) resets grpc's backoff; without that the
      // replica would wait for grpc's next reconnect, at least 900 ms after it is back.
      assertThat(servedAfterMillis).as("ms until the returning replica served a call").isBetween(0L, 700L);
    } finally {
      steady.close();
      returning.close();
    }
  }
}
