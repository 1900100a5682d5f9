package dev.courier.runtime.observe.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.StringValue;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;

import dev.courier.runtime.client.ClientBuilder;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.client.Replicas;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.server.CourierServer;
import dev.courier.runtime.server.ServiceBindings;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link MicrometerListener} on real unary and streaming calls to real servers on loopback. */
class MicrometerListenerTest {
  private static final RpcMethod<StringValue, StringValue> REPEAT =
      RpcMethod.of(Replicas.method("Repeat", MethodType.SERVER_STREAMING), MethodPolicy.DEFAULT);
  private static final RpcMethod<StringValue, StringValue> JOIN =
      RpcMethod.of(Replicas.method("Join", MethodType.CLIENT_STREAMING), MethodPolicy.DEFAULT);

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

  @Test
  void aServerStreamingAndAFailedClientStreamingCallEachRecordOneClientTimerWithTheirType() throws Exception {
    CourierServer server = streamingServer();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ClientRuntime client = client(List.of(Endpoint.of("127.0.0.1", server.port())), new MicrometerListener(registry));

    CompletableFuture<Void> repeated = new CompletableFuture<>();
    client.serverStreaming(REPEAT, Replicas.text("a"), Completion.completes(repeated));
    repeated.get(10, TimeUnit.SECONDS);
    CompletableFuture<Void> joined = new CompletableFuture<>();
    StreamObserver<StringValue> requests = client.clientStreaming(JOIN, Completion.completes(joined));
    requests.onNext(Replicas.text("b"));
    requests.onCompleted();
    // The listener hears of a stream's end before its observer does.
    assertThat(joined).failsWithin(Duration.ofSeconds(10))
        .withThrowableThat().withMessageContaining("FAILED_PRECONDITION");

    assertThat(registry.find("grpc.client").timers()).extracting(t -> t.getId().getTags(), Timer::count)
        .containsExactlyInAnyOrder(
            tuple(Tags.of("rpc.service", "test.Echo", "rpc.method", "Repeat", "rpc.type", "SERVER_STREAMING",
                "grpc.status_code", "OK").stream().sorted().toList(), 1L),
            tuple(Tags.of("rpc.service", "test.Echo", "rpc.method", "Join", "rpc.type", "CLIENT_STREAMING",
                "grpc.status_code", "FAILED_PRECONDITION").stream().sorted().toList(), 1L));
    assertThat(registry.find("grpc.client").timers()).allSatisfy(
        t -> assertThat(t.totalTime(TimeUnit.NANOSECONDS)).isPositive());
  }

  private CourierServer streamingServer() {
    ServerServiceDefinition service = ServerServiceDefinition.builder("test.Echo")
        .addMethod(ServiceBindings.serverStreaming(REPEAT, (request, responses) -> {
          responses.onNext(request);
          responses.onNext(request);
          responses.onCompleted();
        }))
        .addMethod(ServiceBindings.clientStreaming(JOIN, responses -> new StreamObserver<StringValue>() {
          @Override
          public void onNext(StringValue value) {}

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {
            responses.onError(Status.FAILED_PRECONDITION.withDescription("told to fail").asRuntimeException());
          }
        }))
        .build();
    CourierServer server = CourierServer.builder().address("127.0.0.1", 0).gracePeriod(Duration.ZERO)
        .addService(service).start();
    toClose.add(server);
    return server;
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
