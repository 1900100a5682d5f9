package dev.courier.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.client.ClientBuilder;
import dev.courier.runtime.client.ClientRuntime;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OverloadProtectionTest {
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger executions = new AtomicInteger();
  /** A permit for each "block" call that has entered the handler. */
  private final Semaphore blocking = new Semaphore(0);

  @AfterEach
  void closeAll() throws Exception {
    release.countDown();
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  /** Blocks until {@link #release} when the request says "block"; answers at once otherwise. */
  private StringValue handle(StringValue request) throws InterruptedException {
    executions.incrementAndGet();
    running.incrementAndGet();
    try {
      if (request.getValue().equals("block")) {
        blocking.release();
        release.await(30, TimeUnit.SECONDS);
      }
      return request;
    } finally {
      running.decrementAndGet();
    }
  }

  private CourierServer start(CourierServer.Builder builder) {
    CourierServer server = builder.address("127.0.0.1", 0).gracePeriod(Duration.ZERO).start();
    toClose.add(server);
    return server;
  }

  private ManagedChannel channel(CourierServer server) {
    ManagedChannel channel = TestServices.plaintextChannel(server);
    toClose.add(() -> TestServices.close(channel));
    return channel;
  }

  /** Starts {@code calls} calls that block in the handler until {@link #release}; returns once all run. */
  private List<Future<StringValue>> blockInBackground(
      ManagedChannel channel, RpcMethod<StringValue, StringValue> method, int calls) throws InterruptedException {
    List<Future<StringValue>> blocked = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      blocked.add(ClientCalls.futureUnaryCall(
          channel.newCall(method.descriptor(), CallOptions.DEFAULT), StringValue.of("block")));
    }
    assertThat(blocking.tryAcquire(calls, 10, TimeUnit.SECONDS)).as("%s calls blocking in the handler", calls).isTrue();
    assertThat(running.get()).isEqualTo(calls);
    return blocked;
  }

  private static StatusRuntimeException call(ManagedChannel channel, RpcMethod<StringValue, StringValue> method) {
    try {
      ClientCalls.blockingUnaryCall(channel, method.descriptor(), CallOptions.DEFAULT.withDeadlineAfter(
          5, TimeUnit.SECONDS), StringValue.of("quick"));
      return null;
    } catch (StatusRuntimeException e) {
      return e;
    }
  }

  @Test
  void callsBeyondTheDeclaredLimitAreRefusedAtOnceWithoutRunning() throws Exception {
    RpcMethod<StringValue, StringValue> method = TestServices.call(2);
    CourierServer server = start(CourierServer.builder().addService(TestServices.service(method, this::handle)));
    ManagedChannel channel = channel(server);
    List<Future<StringValue>> blocked = blockInBackground(channel, method, 2);

    StatusRuntimeException refused = call(channel, method);

    // Answered while both slots are still held: it did not wait for one (it would have until its
    // 5 s deadline, and failed with DEADLINE_EXCEEDED), and it never ran.
    assertThat(refused).isNotNull();
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(refused.getStatus().getDescription())
        .contains("test.Svc/Call", "maxConcurrency: 2", "refused before it ran");
    assertThat(blocked).as("the calls holding the slots").noneMatch(Future::isDone);
    assertThat(running.get()).isEqualTo(2);
    assertThat(executions.get()).isEqualTo(2);

    release.countDown();
    for (Future<StringValue> call : blocked) {
      // The slot is released before the answer goes out, so once answered it is free.
      assertThat(call.get(10, TimeUnit.SECONDS).getValue()).isEqualTo("block");
    }
    assertThat(call(channel, method)).as("a slot frees when a call ends").isNull();
  }

  @Test
  void serverBuilderOverridesTheDeclaredLimit() throws Exception {
    RpcMethod<StringValue, StringValue> method = TestServices.call(5);
    CourierServer server = start(CourierServer.builder()
        .addService(TestServices.service(method, this::handle))
        .maxConcurrency("test.Svc/Call", 1));
    ManagedChannel channel = channel(server);
    blockInBackground(channel, method, 1);

    assertThat(call(channel, method).getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
  }

  @Test
  void zeroOverrideRemovesTheLimit() throws Exception {
    RpcMethod<StringValue, StringValue> method = TestServices.call(1);
    CourierServer server = start(CourierServer.builder()
        .addService(TestServices.service(method, this::handle))
        .maxConcurrency("test.Svc/Call", 0));
    ManagedChannel channel = channel(server);
    blockInBackground(channel, method, 3);

    assertThat(call(channel, method)).isNull();
  }

  @Test
  void limitOfAMethodNoServiceHasFailsAtStart() {
    CourierServer.Builder builder = CourierServer.builder()
        .addService(TestServices.service(TestServices.call(0), this::handle))
        .maxConcurrency("test.Svc/Nope", 1);
    assertThatThrownBy(builder::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("maxConcurrency: no added service has test.Svc/Nope");
  }

  @Test
  void negativeLimitFails() {
    assertThatThrownBy(() -> CourierServer.builder().maxConcurrency("test.Svc/Call", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxConcurrency: -1 (expected: >= 0)");
  }

  @Test
  void clientRetriesARefusedIdempotentCallOnTheOtherReplica() throws Exception {
    RpcMethod<StringValue, StringValue> method = TestServices.call(1);
    AtomicInteger startedOnBusy = new AtomicInteger();
    ServerInterceptor counting = new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, io.grpc.Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        startedOnBusy.incrementAndGet();
        return next.startCall(call, headers);
      }
    };
    CourierServer busy = start(CourierServer.builder()
        .addService(ServerInterceptors.intercept(TestServices.service(method, this::handle), counting)));
    CourierServer free = start(CourierServer.builder().addService(TestServices.service(method, this::handle)));
    blockInBackground(channel(busy), method, 1);
    startedOnBusy.set(0);

    ClientRuntime client = ClientBuilder.forService(TestServices.SERVICE, runtime -> runtime)
        .target(busy.target() + "," + free.target())
        .balancer(BalancerKind.ROUND_ROBIN)
        .deadline(Duration.ofSeconds(5))
        .build();
    toClose.add(client);
    for (int i = 0; i < 10; i++) {
      assertThat(client.blockingUnary(method, StringValue.of("quick")).getValue()).isEqualTo("quick");
    }

    assertThat(startedOnBusy.get()).as("calls refused by the busy replica").isPositive();
    assertThat(executions.get()).as("the blocked call plus 10 on the free replica").isEqualTo(11);
  }
}
