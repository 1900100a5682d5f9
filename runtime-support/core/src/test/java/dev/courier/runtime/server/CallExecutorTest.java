package dev.courier.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.courier.runtime.RpcMethod;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/** Where service methods run, and the server-wide bound on calls that Courier's call executor keeps. */
class CallExecutorTest {
  private static final RpcMethod<StringValue, StringValue> CALL = TestServices.call(0);

  private static String threadThatRanTheMethod(CourierServer.Builder builder) {
    CourierServer server = builder.address("127.0.0.1", 0).gracePeriod(Duration.ZERO)
        .addService(TestServices.service(CALL, request -> StringValue.of(Thread.currentThread().getName()
            + (isVirtual(Thread.currentThread()) ? " (virtual)" : ""))))
        .start();
    ManagedChannel channel = TestServices.plaintextChannel(server);
    try {
      return ClientCalls.blockingUnaryCall(channel, CALL.descriptor(),
          CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), StringValue.of("x")).getValue();
    } finally {
      TestServices.close(channel);
      server.close();
    }
  }

  private static boolean isVirtual(Thread thread) {
    try {
      return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
    } catch (ReflectiveOperationException beforeJava21) {
      return false;
    }
  }

  @Test
  void methodsRunOnCouriersCallThreadsByDefault() {
    assertThat(threadThatRanTheMethod(CourierServer.builder())).startsWith("courier-call-");
  }

  @Test
  @EnabledForJreRange(max = JRE.JAVA_20)
  void beforeJava21TheDefaultIsTwoHundredPlatformThreadsAndVirtualThreadsAreRefused() {
    assertThat(CallExecutor.defaults()).isEqualTo(CallExecutor.platformThreads(200));
    assertThat(threadThatRanTheMethod(CourierServer.builder())).doesNotContain("(virtual)");
    assertThatThrownBy(() -> CallExecutor.virtualThreads(10))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("virtualThreads: this JVM is Java ")
        .hasMessageEndingWith("(expected: Java 21 or newer, or CallExecutor.platformThreads(n))");
  }

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void onJava21AndNewerMethodsRunOnVirtualThreadsByDefault() {
    assertThat(CallExecutor.defaults()).isEqualTo(CallExecutor.virtualThreads(10_000));
    assertThat(threadThatRanTheMethod(CourierServer.builder())).startsWith("courier-call-").endsWith("(virtual)");
  }

  @Test
  void platformThreadsCanBeChosenOnAnyJava() {
    assertThat(threadThatRanTheMethod(CourierServer.builder().callExecutor(CallExecutor.platformThreads(4))))
        .startsWith("courier-call-").doesNotContain("(virtual)");
  }

  @Test
  void callsBeyondTheBoundAreRefusedAtOnceWithResourceExhaustedAndTheRestRun() throws Exception {
    CountDownLatch running = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger executions = new AtomicInteger();
    CourierServer server = CourierServer.builder().address("127.0.0.1", 0).gracePeriod(Duration.ZERO)
        .callExecutor(CallExecutor.platformThreads(2))
        .addService(TestServices.service(CALL, request -> {
          executions.incrementAndGet();
          if (request.getValue().equals("block")) {
            running.countDown();
            release.await();
          }
          return request;
        }))
        .start();
    ManagedChannel channel = TestServices.plaintextChannel(server);
    ExecutorService clients = Executors.newFixedThreadPool(2);
    try {
      List<java.util.concurrent.Future<StringValue>> blocked = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        blocked.add(clients.submit(() -> call(channel, "block")));
      }
      assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();

      // Refused on the network thread: it needs no free call thread to be answered.
      assertThatThrownBy(() -> call(channel, "third"))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(e.getStatus().getDescription()).isEqualTo("the server is running as many calls as it may"
                + " (maxCalls: 2); the call to test.Svc/Call was refused before it ran, retry it on another replica");
          });
      assertThat(executions).hasValue(2);

      release.countDown();
      for (var call : blocked) {
        assertThat(call.get(5, TimeUnit.SECONDS).getValue()).isEqualTo("block");
      }
      for (int i = 0; i < 10; i++) {
        assertThat(call(channel, "after").getValue()).isEqualTo("after");
      }
    } finally {
      release.countDown();
      clients.shutdownNow();
      TestServices.close(channel);
      server.close();
    }
  }

  @Test
  void methodsRunOnTheGivenExecutor() {
    ExecutorService own = Executors.newSingleThreadExecutor(r -> new Thread(r, "own-executor"));
    try {
      assertThat(threadThatRanTheMethod(CourierServer.builder().executor(own))).isEqualTo("own-executor");
    } finally {
      own.shutdownNow();
    }
  }

  @Test
  void directExecutorRunsMethodsOnTheNetworkThread() {
    assertThat(threadThatRanTheMethod(CourierServer.builder().executor(Runnable::run)))
        .startsWith("grpc-default-worker-ELG");
  }

  @Test
  void aCallExecutorReplacesAGivenExecutor() {
    assertThat(threadThatRanTheMethod(CourierServer.builder().executor(Runnable::run)
        .callExecutor(CallExecutor.platformThreads(1)))).startsWith("courier-call-");
  }

  @Test
  void badSettingsFail() {
    assertThatThrownBy(() -> CourierServer.builder().executor(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("executor");
    assertThatThrownBy(() -> CallExecutor.platformThreads(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxCalls: 0 (expected: >= 1)");
  }

  private static StringValue call(ManagedChannel channel, String value) {
    return ClientCalls.blockingUnaryCall(channel, CALL.descriptor(),
        CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), StringValue.of(value));
  }
}
