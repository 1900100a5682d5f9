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
import java.util.ArrayList;
import java.util.List;
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
  void throttlingGivesBothTheSameAttemptsCallByCallThroughAnOutageARecoveryAndAnother() {
    replica.mode(FaultReplica.Mode.FAIL);
    List<Integer> courierAttempts = new ArrayList<>();
    List<Integer> grpcAttempts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      bothCall(FaultReplica.IDEMPOTENT, "storm-" + i, (c, g) -> {
        courierAttempts.add(c);
        grpcAttempts.add(g);
      });
    }
    // grpc's bucket: 10 tokens, one spent per failed attempt (the last one of a call too), retries
    // while more than 5 are left: 3 + 2, then 1 each; the bucket ends empty.
    List<Integer> outage = new ArrayList<>(List.of(3, 2));
    outage.addAll(java.util.Collections.nCopies(18, 1));
    assertThat(grpcAttempts).as("grpc-java").isEqualTo(outage);
    assertThat(courierAttempts).as("Courier").isEqualTo(grpcAttempts);

    replica.mode(FaultReplica.Mode.OK);
    for (int i = 0; i < 70; i++) { // 70 answers give 70 x 0.1 = 7 tokens back
      courier.blockingUnary(IDEMPOTENT, StringValue.of("courier-ok-" + i));
      ClientCalls.blockingUnaryCall(grpc, FaultReplica.IDEMPOTENT, CallOptions.DEFAULT, StringValue.of("grpc-ok-" + i));
    }
    replica.mode(FaultReplica.Mode.FAIL);
    courierAttempts.clear();
    grpcAttempts.clear();
    for (int i = 0; i < 5; i++) {
      bothCall(FaultReplica.IDEMPOTENT, "again-" + i, (c, g) -> {
        courierAttempts.add(c);
        grpcAttempts.add(g);
      });
    }
    // 7 tokens: 6 left after the first failure (a retry), 5 after the second (none), then 1 each.
    assertThat(grpcAttempts).as("grpc-java after the recovery").containsExactly(2, 1, 1, 1, 1);
    assertThat(courierAttempts).as("Courier after the recovery").isEqualTo(grpcAttempts);
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
