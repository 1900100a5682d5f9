package dev.courier.runtime.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.client.ClientBuilder;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.discovery.Endpoint;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The service config of the fault harness's grpc-java baseline, given to Courier with {@code
 * ClientBuilder.serviceConfig}, gives the retry behaviour grpc-java gives it: the same attempts per
 * call against the same real server, counted on the server.
 */
@Timeout(60)
class GrpcBaselineServiceConfigTest {
  private static final RpcMethod<StringValue, StringValue> IDEMPOTENT =
      RpcMethod.of(FaultReplica.IDEMPOTENT, MethodPolicy.builder().idempotent(true).build());
  private static final RpcMethod<StringValue, StringValue> ONCE = RpcMethod.of(FaultReplica.ONCE, MethodPolicy.DEFAULT);

  private FaultReplica replica;
  private ClientRuntime courier;
  private ManagedChannel grpc;

  @BeforeEach
  void start() {
    replica = FaultReplica.start("r0");
    courier = ClientBuilder.forService("fault.Echo", r -> r)
        .endpoints(java.util.List.of(Endpoint.of("127.0.0.1", replica.port())))
        .methods(IDEMPOTENT, ONCE)
        .serviceConfig(GrpcBaseline.serviceConfigJson())
        .nanoClock(() -> 0L) // the budget counts in one second of its window, whatever the test's pace
        .build();
    grpc = NettyChannelBuilder.forAddress("127.0.0.1", replica.port())
        .usePlaintext()
        .defaultServiceConfig(GrpcBaseline.serviceConfig())
        .enableRetry()
        .build();
  }

  @AfterEach
  void stop() throws InterruptedException {
    courier.close();
    grpc.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    replica.close();
  }

  @Test
  void anIdempotentCallFailingWithUnavailableIsTriedThreeTimesByBoth() {
    replica.mode(FaultReplica.Mode.FAIL);
    bothCall(FaultReplica.IDEMPOTENT, "idempotent", (courierAttempts, grpcAttempts) -> {
      assertThat(courierAttempts).isEqualTo(3);
      assertThat(grpcAttempts).isEqualTo(3);
    });
  }

  @Test
  void aMethodWithoutRetryPolicyIsTriedOnceByBoth() {
    replica.mode(FaultReplica.Mode.FAIL);
    bothCall(FaultReplica.ONCE, "once", (courierAttempts, grpcAttempts) -> {
      assertThat(courierAttempts).isEqualTo(1);
      assertThat(grpcAttempts).isEqualTo(1);
    });
  }

  @Test
  @org.junit.jupiter.api.Tag("slow") // 40 failing calls with their backoffs: about 10 s here
  void throttlingStopsBothRetryingWithinTheFirstCallsOfAnOutage() {
    replica.mode(FaultReplica.Mode.FAIL);
    int courierAttempts = 0;
    int grpcAttempts = 0;
    for (int i = 0; i < 20; i++) {
      int[] attempts = new int[2];
      bothCall(FaultReplica.IDEMPOTENT, "storm-" + i, (c, g) -> {
        attempts[0] = c;
        attempts[1] = g;
      });
      courierAttempts += attempts[0];
      grpcAttempts += attempts[1];
    }
    // Without throttling: 20 x 3 = 60 attempts. Both stop retrying within the first calls, by models
    // that differ in detail (the mapping is an approximation, see GrpcServiceConfig):
    // grpc: 10 tokens, one spent per failed attempt, retries while more than 5 are left: 3 + 2 + 18 x 1 = 23.
    // Courier: retries + 1 <= 0.1 x calls + 5 (floor 1/s over a 5 s window): 3 + 3 + 2, then one more
    // retry each time 10 calls add a whole one (calls 10 and 20): 8 + 17 + 2 = 27.
    assertThat(grpcAttempts).isEqualTo(23);
    assertThat(courierAttempts).isEqualTo(27);
  }

  /** One failing call on each client with request id {@code id}; tells {@code check} the attempts each made. */
  private void bothCall(MethodDescriptor<StringValue, StringValue> method, String id, BiConsumer<Integer, Integer> check) {
    RpcMethod<StringValue, StringValue> rpc = method == FaultReplica.IDEMPOTENT ? IDEMPOTENT : ONCE;
    assertThatThrownBy(() -> courier.blockingUnary(rpc, StringValue.of("courier-" + id)))
        .isInstanceOfSatisfying(CourierException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(grpc, method, CallOptions.DEFAULT, StringValue.of("grpc-" + id)))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    check.accept(replica.perId().get("courier-" + id).get(), replica.perId().get("grpc-" + id).get());
  }
}
