package dev.courier.runtime.observe.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.runtime.client.ClientBuilder;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.client.Replicas;
import io.grpc.Status;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link MicrometerListener} on real calls to real servers on loopback. */
class MicrometerListenerTest {
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  @Test
  void micrometerGetsTimersAndCountersPerMethodAndStatus() {
    Replicas replicas = Replicas.start(2);
    toClose.add(replicas);
    replicas.get(0).failWith = Status.UNAVAILABLE.withDescription("down");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ClientRuntime client = client(List.of(replicas.get(0).endpoint(), replicas.get(1).endpoint()),
        new MicrometerListener(registry));

    client.blockingUnary(Replicas.IDEMPOTENT_ECHO, Replicas.text("a"));

    Tags echo = Tags.of("rpc.service", "test.Echo", "rpc.method", "Echo");
    assertThat(registry.get("grpc.client").tags(echo).tags("rpc.type", "UNARY", "grpc.status_code", "OK").timer()
        .count()).isEqualTo(1);
    assertThat(registry.get("courier.client.attempts").tags(echo).tags("grpc.status_code", "UNAVAILABLE").counter()
        .count()).isEqualTo(1);
    assertThat(registry.get("courier.client.attempts").tags(echo).tags("grpc.status_code", "OK").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("courier.client.retries").tags(echo).counter().count()).isEqualTo(1);
  }

  private ClientRuntime client(List<dev.courier.runtime.discovery.Endpoint> endpoints, MicrometerListener listener) {
    ClientBuilder<ClientRuntime> b = ClientBuilder.forService("test.Echo", runtime -> {
      toClose.add(runtime);
      return runtime;
    }).endpoints(endpoints).listener(listener)
        .balancer(dev.courier.runtime.balance.BalancerKind.ROUND_ROBIN); // the failing replica first
    return b.build();
  }
}
