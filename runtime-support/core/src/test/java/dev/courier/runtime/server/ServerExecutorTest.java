package dev.courier.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.courier.runtime.RpcMethod;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServerExecutorTest {
  private static final RpcMethod<StringValue, StringValue> CALL = TestServices.call(0);

  private static String threadThatRanTheMethod(CourierServer.Builder builder) {
    CourierServer server = builder.address("127.0.0.1", 0).gracePeriod(Duration.ZERO)
        .addService(TestServices.service(CALL, request -> StringValue.of(Thread.currentThread().getName())))
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

  @Test
  void methodsRunOnGrpcsDefaultExecutorUnlessToldOtherwise() {
    assertThat(threadThatRanTheMethod(CourierServer.builder())).startsWith("grpc-default-executor");
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
  void nullExecutorFails() {
    assertThatThrownBy(() -> CourierServer.builder().executor(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("executor");
  }
}
