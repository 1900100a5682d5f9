package dev.courier.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.StringValue;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.client.ClientBuilder;
import dev.courier.runtime.client.ClientRuntime;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A → B → C over real servers: A and B call the next hop through Courier clients. */
class DeadlinePropagationTest {
  private static final RpcMethod<StringValue, StringValue> HOP = TestServices.call(0);

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final AtomicLong remainingAtC = new AtomicLong(-1);
  private final AtomicInteger callsAtC = new AtomicInteger();
  private final CountDownLatch enteredC = new CountDownLatch(1);
  private final CountDownLatch cancelledAtC = new CountDownLatch(1);
  private final AtomicInteger callsAtA = new AtomicInteger();
  private final AtomicInteger callsAtB = new AtomicInteger();
  /** Counted down when B's handler has returned or thrown: its client can start no more attempts. */
  private final CountDownLatch bReturned = new CountDownLatch(1);

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private CourierServer server(ServiceBindings.UnaryHandler<StringValue, StringValue> handler) {
    CourierServer server = CourierServer.builder().address("127.0.0.1", 0).gracePeriod(Duration.ZERO)
        .addService(TestServices.service(HOP, handler)).start();
    toClose.add(server);
    return server;
  }

  private ClientRuntime client(CourierServer to) {
    ClientRuntime client = ClientBuilder.forService(TestServices.SERVICE, runtime -> runtime)
        .target(to.target()).build();
    toClose.add(client);
    return client;
  }

  /** C: records what it sees; "hang" waits until its call is cancelled (at most 5 s). */
  private StringValue atC(StringValue request) throws InterruptedException {
    callsAtC.incrementAndGet();
    Deadline deadline = Context.current().getDeadline();
    remainingAtC.set(deadline == null ? Long.MAX_VALUE : deadline.timeRemaining(TimeUnit.MILLISECONDS));
    Context.current().addListener(context -> cancelledAtC.countDown(), Runnable::run);
    enteredC.countDown();
    if (request.getValue().equals("hang")) {
      cancelledAtC.await(5, TimeUnit.SECONDS);
    }
    return StringValue.of("C");
  }

  /** Starts C, B and A; returns a client of A. */
  private ClientRuntime chain() {
    CourierServer c = server(this::atC);
    ClientRuntime toC = client(c);
    CourierServer b = server(request -> {
      callsAtB.incrementAndGet();
      try {
        return toC.blockingUnary(HOP, request);
      } finally {
        bReturned.countDown();
      }
    });
    ClientRuntime toB = client(b);
    CourierServer a = server(request -> {
      callsAtA.incrementAndGet();
      return toB.blockingUnary(HOP, request);
    });
    return client(a);
  }

  @Test
  void deadlineSetAtTheFirstHopReachesTheLastHop() {
    ClientRuntime toA = chain();

    StringValue answer = toA.withDeadline(Duration.ofMillis(300)).blockingUnary(HOP, StringValue.of("go"));

    assertThat(answer.getValue()).isEqualTo("C");
    assertThat(remainingAtC.get()).isBetween(1L, 300L);
  }

  @Test
  void noDeadlineAtTheFirstHopMeansNoneAtTheLastHop() {
    ClientRuntime toA = chain();

    toA.blockingUnary(HOP, StringValue.of("go"));

    assertThat(remainingAtC.get()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void hungLastHopFailsTheChainAtTheFirstHopsDeadlineWithoutRetriesPastIt() throws Exception {
    ClientRuntime toA = chain();

    CourierException e = catchThrowableOfType(CourierException.class,
        () -> toA.withDeadline(Duration.ofMillis(300)).blockingUnary(HOP, StringValue.of("hang")));

    assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(remainingAtC.get()).as("ms left at C").isBetween(1L, 300L);
    assertThat(cancelledAtC.await(10, TimeUnit.SECONDS)).as("C's call ends with the deadline").isTrue();
    assertThat(bReturned.await(10, TimeUnit.SECONDS)).as("B's handler returns").isTrue();
    // B's handler has returned, so its client has made every attempt it ever will.
    assertThat(callsAtC.get()).as("B retried nothing past the inherited deadline").isEqualTo(1);
    assertThat(callsAtB.get()).as("A retried nothing past the deadline").isEqualTo(1);
    assertThat(callsAtA.get()).as("the caller retried nothing past the deadline").isEqualTo(1);
  }

  @Test
  void cancellingAtTheFirstHopCancelsTheLastHop() throws Exception {
    ClientRuntime toA = chain();

    CompletableFuture<StringValue> call = toA.asyncUnary(HOP, StringValue.of("hang"));
    assertThat(enteredC.await(5, TimeUnit.SECONDS)).isTrue();
    call.cancel(true);

    assertThat(cancelledAtC.await(2, TimeUnit.SECONDS)).as("C's call is cancelled").isTrue();
  }
}
