package dev.courier.runtime.observe.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.grpc.ObservationGrpcServerInterceptor;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link MicrometerListener#serverInterceptor()} on a real Courier server, beside Micrometer's own
 * {@link ObservationGrpcServerInterceptor} on the same server: both record the same {@code
 * grpc.server} timers (same names, tags and times), on one injected clock.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServerCallTimerTest {
  private static final RpcMethod<StringValue, StringValue> ECHO = Replicas.IDEMPOTENT_ECHO;
  private static final RpcMethod<StringValue, StringValue> REPEAT =
      RpcMethod.of(Replicas.method("Repeat", MethodType.SERVER_STREAMING), MethodPolicy.DEFAULT);

  private final StepClock clock = new StepClock();
  private final SimpleMeterRegistry courier = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
  private final SimpleMeterRegistry micrometer = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  @Test
  void theServerTimerHasMicrometersNameTagsAndTimesForUnaryAndStreamingCalls() throws Exception {
    ObservationRegistry observations = ObservationRegistry.create();
    observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(micrometer));
    // Micrometer's interceptor stops its observation when the server call completes, which can be
    // after the client has its answer; the next handler's clock step would then land in that call's
    // time. So each call waits until Micrometer's timer has it (handlers run in order: this one
    // after the meter handler's record).
    Semaphore recorded = new Semaphore(0);
    observations.observationConfig().observationHandler(new ObservationHandler<>() {
      @Override
      public boolean supportsContext(Observation.Context context) {
        return true;
      }

      @Override
      public void onStop(Observation.Context context) {
        recorded.release();
      }
    });
    CourierServer server = start(new ObservationGrpcServerInterceptor(observations));
    ClientRuntime client = ClientBuilder.forService("test.Echo", c -> c)
        .endpoints(List.of(Endpoint.of("127.0.0.1", server.port()))).build();
    toClose.add(client);

    client.blockingUnary(ECHO, Replicas.text("a"));
    assertThat(recorded.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
    client.blockingUnary(ECHO, Replicas.text("b"));
    assertThat(recorded.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> client.blockingUnary(ECHO, Replicas.text("missing")));
    assertThat(recorded.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> streamed = new CompletableFuture<>();
    client.serverStreaming(REPEAT, Replicas.text("s"), Completion.completes(streamed));
    streamed.get(10, TimeUnit.SECONDS);
    server.close(); // every call has closed on the server, so both have recorded

    Map<String, String> ours = timers(courier);
    assertThat(ours).containsOnlyKeys(timers(micrometer).keySet());
    assertThat(ours.values()).containsExactlyInAnyOrderElementsOf(timers(micrometer).values());
    Timer ok = courier.get("grpc.server").tags("rpc.service", "test.Echo", "rpc.method", "Echo",
        "rpc.type", "UNARY", "grpc.status_code", "OK", "error", "none").timer();
    assertThat(ok.count()).isEqualTo(2);
    assertThat(ok.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(50.0); // each handler advanced the clock 25 ms
    assertThat(courier.get("grpc.server").tags("rpc.method", "Echo", "grpc.status_code", "NOT_FOUND").timer()
        .count()).isEqualTo(1);
    assertThat(courier.get("grpc.server").tags("rpc.method", "Repeat", "rpc.type", "SERVER_STREAMING",
        "grpc.status_code", "OK").timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(25.0);
  }

  private CourierServer start(ObservationGrpcServerInterceptor theirs) {
    ServerServiceDefinition service = ServerServiceDefinition.builder("test.Echo")
        .addMethod(ServiceBindings.unary(ECHO, req -> {
          clock.advance(Duration.ofMillis(25));
          if (req.getValue().equals("missing")) {
            throw Status.NOT_FOUND.withDescription("no such thing").asRuntimeException();
          }
          return req;
        }))
        .addMethod(ServiceBindings.serverStreaming(REPEAT, (req, responses) -> {
          clock.advance(Duration.ofMillis(25));
          responses.onNext(req);
          responses.onNext(req);
          responses.onCompleted();
        }))
        .build();
    CourierServer server = CourierServer.builder().address("127.0.0.1", 0).gracePeriod(Duration.ofSeconds(5))
        .addService(service)
        .intercept(new MicrometerListener(courier).serverInterceptor())
        .intercept(theirs)
        .start();
    toClose.add(server);
    return server;
  }

  /** Every {@code grpc.server} timer of {@code registry}, with its count and total time. */
  private static Map<String, String> timers(SimpleMeterRegistry registry) {
    return registry.find("grpc.server").timers().stream().collect(Collectors.toMap(
        t -> t.getId().getName() + t.getId().getTags(),
        t -> t.getId().getTags() + " " + t.count() + " calls " + t.totalTime(TimeUnit.MILLISECONDS) + " ms"));
  }

  /** A clock that moves only when told. */
  private static final class StepClock implements Clock {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    void advance(Duration by) {
      nanos.addAndGet(by.toNanos());
    }

    @Override
    public long wallTime() {
      return TimeUnit.NANOSECONDS.toMillis(nanos.get());
    }

    @Override
    public long monotonicTime() {
      return nanos.get();
    }
  }
}
