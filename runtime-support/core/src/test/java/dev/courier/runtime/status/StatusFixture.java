package dev.courier.runtime.status;

import com.google.protobuf.StringValue;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.client.Replicas;
import dev.courier.runtime.retry.HedgePolicy;
import dev.courier.runtime.server.CourierServer;
import dev.courier.runtime.server.ServiceBindings;
import io.grpc.ServerServiceDefinition;
import java.time.Duration;

/** A Courier server whose one service declares a policy, with its status page on a free port. */
final class StatusFixture {
  static final MethodPolicy DECLARED = MethodPolicy.builder().idempotent(true).timeout(Duration.ofSeconds(2))
      .hedge(new HedgePolicy(Duration.ofMillis(30), 1)).balancer(BalancerKind.LEAST_LOADED).maxConcurrency(64).build();
  static final RpcMethod<StringValue, StringValue> ECHO = Replicas.IDEMPOTENT_ECHO.withPolicy(DECLARED);

  private StatusFixture() {}

  static CourierServer server() {
    return CourierServer.builder().address("127.0.0.1", 0)
        .addService(ServerServiceDefinition.builder("test.Echo")
            .addMethod(ServiceBindings.unary(ECHO, req -> req)).build())
        .statusPage(0)
        .start();
  }
}
