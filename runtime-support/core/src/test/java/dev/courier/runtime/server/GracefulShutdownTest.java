package dev.courier.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.client.ClientBuilder;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.client.PassiveHealth;
import dev.courier.runtime.discovery.ServiceRegistry;
import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GracefulShutdownTest {
  private static final RpcMethod<StringValue, StringValue> CALL = TestServices.call(0);
  /** Longer than any test here takes: only a broken close() or a hung test would reach it. */
  private static final Duration LONG_GRACE = Duration.ofSeconds(30);

  private static CourierServer server(int port, Duration grace, ServiceBindings.UnaryHandler<StringValue, StringValue> h) {
    return server(port, grace, h, NO_REGISTRY);
  }

  private static CourierServer server(
      int port, Duration grace, ServiceBindings.UnaryHandler<StringValue, StringValue> h, ServiceRegistry registry) {
    return CourierServer.builder().address("127.0.0.1", port).gracePeriod(grace)
        .addService(TestServices.service(CALL, h)).registerIn(registry).start();
  }

  private static final ServiceRegistry NO_REGISTRY = (name, endpoint) -> () -> {};

  /** A registry whose deregistration, the first thing {@link CourierServer#close()} does, counts down {@code closing}. */
  private static ServiceRegistry signalling(CountDownLatch closing) {
    return (name, endpoint) -> closing::countDown;
  }

  @Test
  void closeLetsInFlightCallsFinishAndThenRefusesNewOnes() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch closing = new CountDownLatch(1);
    CourierServer server = server(0, LONG_GRACE, request -> {
      if (request.getValue().equals("in flight")) {
        entered.countDown();
        release.await();
      }
      return request;
    }, signalling(closing));
    ManagedChannel channel = TestServices.plaintextChannel(server);
    ExecutorService closer = Executors.newSingleThreadExecutor();
    try {
      var inFlight = ClientCalls.futureUnaryCall(channel.newCall(CALL.descriptor(), CallOptions.DEFAULT),
          StringValue.of("in flight"));
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

      Future<?> closed = closer.submit(server::close);
      assertThat(closing.await(10, TimeUnit.SECONDS)).as("close() started").isTrue();
      Status.Code refused = awaitRefused(channel);

      assertThat(refused).as("a new call while draining").isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(inFlight).as("the call in flight, not yet released").isNotDone();
      assertThat(closed).as("close() while a call is in flight").isNotDone();
      release.countDown();
      assertThat(inFlight.get(10, TimeUnit.SECONDS).getValue()).isEqualTo("in flight");
      closed.get(10, TimeUnit.SECONDS); // returns once the last call is done, long before the grace period ends
    } finally {
      release.countDown();
      closer.shutdownNow();
      TestServices.close(channel);
      server.shutdownNow();
    }
  }

  /**
   * Makes calls back to back until one is refused and returns its code; while the server has not
   * stopped listening yet, calls are answered. Fails after 10 s.
   */
  private static Status.Code awaitRefused(ManagedChannel channel) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < end) {
      try {
        ClientCalls.blockingUnaryCall(channel, CALL.descriptor(),
            CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), StringValue.of("late"));
      } catch (StatusRuntimeException e) {
        return e.getStatus().getCode();
      }
    }
    throw new AssertionError("new calls still answered 10 s after close() started");
  }

  @Test
  void callsStillRunningWhenTheGracePeriodEndsAreCancelled() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch cancelledOnServer = new CountDownLatch(1);
    Duration grace = Duration.ofMillis(200);
    CourierServer server = server(0, grace, request -> {
      Context.current().addListener(context -> cancelledOnServer.countDown(), Runnable::run);
      entered.countDown();
      cancelledOnServer.await(); // runs until the server cancels it
      return request;
    });
    ManagedChannel channel = TestServices.plaintextChannel(server);
    try {
      var inFlight = ClientCalls.futureUnaryCall(channel.newCall(CALL.descriptor(), CallOptions.DEFAULT),
          StringValue.of("slow"));
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

      long started = System.nanoTime();
      server.close();
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

      assertThat(tookMillis).as("close() waited out the grace period").isGreaterThanOrEqualTo(150L);
      // Cancelled on grpc's call executor, which may run just after close() has returned.
      assertThat(cancelledOnServer.await(10, TimeUnit.SECONDS)).as("the handler's call is cancelled").isTrue();
      ExecutionException failed = null;
      try {
        inFlight.get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        failed = e;
      }
      assertThat(failed).isNotNull();
      assertThat(Status.fromThrowable(failed.getCause()).getCode())
          .isIn(Status.Code.CANCELLED, Status.Code.UNAVAILABLE);
    } finally {
      cancelledOnServer.countDown();
      TestServices.close(channel);
    }
  }

  /**
   * One replica: each handler counts what it served; {@link #holdNextCall()} makes the next call
   * wait in the handler until {@link #releaseHeldCall()}, so a call is surely in flight when the
   * replica drains.
   */
  private static final class Replica {
    final AtomicInteger served = new AtomicInteger();
    final CountDownLatch firstServed = new CountDownLatch(1);
    final CountDownLatch held = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch closing = new CountDownLatch(1);
    final AtomicBoolean holdNext = new AtomicBoolean();
    final AtomicBoolean heldCallCancelled = new AtomicBoolean();
    final CourierServer server;

    Replica(int port) {
      this.server = server(port, LONG_GRACE, this::handle, signalling(closing));
    }

    private StringValue handle(StringValue request) throws InterruptedException {
      if (holdNext.compareAndSet(true, false)) {
        held.countDown();
        release.await();
        heldCallCancelled.set(Context.current().isCancelled());
      }
      served.incrementAndGet();
      firstServed.countDown();
      return request;
    }

    void holdNextCall() {
      holdNext.set(true);
    }

    void releaseHeldCall() {
      release.countDown();
    }
  }

  @Test
  void rollingRestartOnTheSamePortsFailsNoIdempotentCall() throws Exception {
    List<Replica> replicas = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      replicas.add(new Replica(0));
    }
    String targets = String.join(",", replicas.stream().map(r -> r.server.target()).toList());
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger ok = new AtomicInteger();
    CountDownLatch warm = new CountDownLatch(20);
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    ExecutorService callers = Executors.newFixedThreadPool(5);
    // The client's defaults: 3 attempts, passive health, the retry budget.
    try (ClientRuntime client = ClientBuilder.forService(TestServices.SERVICE, runtime -> runtime)
        .target(targets).deadline(Duration.ofSeconds(10))
        .build()) {
      List<CompletableFuture<Void>> loops = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        loops.add(CompletableFuture.runAsync(() -> {
          while (!stop.get()) {
            try {
              client.blockingUnary(CALL, StringValue.of("x"));
              ok.incrementAndGet();
              warm.countDown();
            } catch (CourierException e) {
              failures.add(e);
            }
          }
        }, callers));
      }
      assertThat(warm.await(10, TimeUnit.SECONDS)).as("connections up and code warm").isTrue();
      for (int i = 0; i < replicas.size(); i++) {
        Replica old = replicas.get(i);
        int port = old.server.port();
        int before = ok.get();
        old.holdNextCall();
        assertThat(old.held.await(10, TimeUnit.SECONDS)).as("a call in flight on replica %s", i).isTrue();

        Future<?> closed = callers.submit(old.server::close);
        assertThat(old.closing.await(10, TimeUnit.SECONDS)).as("replica %s starts closing", i).isTrue();
        awaitNotListening(port);
        assertThat(closed).as("replica %s drains its call in flight", i).isNotDone();
        old.releaseHeldCall();
        closed.get(10, TimeUnit.SECONDS);
        assertThat(old.heldCallCancelled).as("the call in flight on replica %s was cancelled", i).isFalse();

        Replica fresh = new Replica(port);
        replicas.set(i, fresh);
        // A rolling restart waits for the new replica to serve before the next one goes.
        assertThat(fresh.firstServed.await(20, TimeUnit.SECONDS)).as("the new replica %s serves", i).isTrue();
        assertThat(ok.get()).as("calls succeed while replica %s restarts", i).isGreaterThan(before);
      }
      stop.set(true);
      CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    } finally {
      stop.set(true);
      replicas.forEach(Replica::releaseHeldCall);
      callers.shutdownNow();
      replicas.forEach(r -> r.server.shutdownNow());
    }

    assertThat(failures).as("failed calls").isEmpty();
    // The warm-up's 20, then at least one more during each restart (checked above, per replica). A
    // fixed larger count would only say how fast this machine happened to be.
    assertThat(ok.get()).isGreaterThanOrEqualTo(20 + replicas.size());
  }

  /**
   * Connects to {@code port} back to back until a connection is refused: the server has closed
   * its listening socket (it does so first thing in its graceful shutdown). Fails after 10 s.
   */
  private static void awaitNotListening(int port) throws IOException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < end) {
      try {
        new Socket(InetAddress.getLoopbackAddress(), port).close(); // still listening
      } catch (ConnectException refused) {
        return;
      }
    }
    throw new AssertionError("port " + port + " still accepts connections 10 s after close() started");
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
      String answer = firstAnswerOtherThan("steady", client, down + TimeUnit.MILLISECONDS.toNanos(3200));
      assertThat(answer).as("answers while the replica is down").isNull();
      returning = server(port, Duration.ZERO, request -> StringValue.of("returning"));
      long back = System.nanoTime();
      assertThat(firstAnswerOtherThan("steady", client, back + TimeUnit.SECONDS.toNanos(3))).isEqualTo("returning");
      long servedAfterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);

      // The probe after an ejection (at most 200 ms here) resets grpc's backoff; without that the
      // replica would wait for grpc's next reconnect, at least 900 ms after it is back.
      assertThat(servedAfterMillis).as("ms until the returning replica served a call").isBetween(0L, 700L);
    } finally {
      steady.close();
      returning.close();
    }
  }

  /**
   * Calls until one answers other than {@code usual} or {@code untilNanos} passes; returns that
   * answer, or {@code null} when every call answered {@code usual}.
   */
  private static String firstAnswerOtherThan(String usual, ClientRuntime client, long untilNanos)
      throws InterruptedException {
    while (System.nanoTime() < untilNanos) {
      String answer = client.blockingUnary(CALL, StringValue.of("x")).getValue();
      if (!answer.equals(usual)) {
        return answer;
      }
      // Not a latch: grpc's reconnect backoff runs on grpc's own clock, which its public API does
      // not let a test replace, so this outage must last its 3.2 s of real time; calls through it
      // are paced 5 ms apart rather than back to back, which would take a core of two.
      Thread.sleep(5);
    }
    return null;
  }
}
