package dev.courier.runtime.observe.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.StringValue;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.client.ClientBuilder;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.client.ManualScheduler;
import dev.courier.runtime.client.Replicas;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.observe.QueueEvent;
import dev.courier.runtime.queue.QueueClientRuntime;
import dev.courier.runtime.queue.QueueWorkerRuntime;
import dev.courier.runtime.queue.TestMethods;
import dev.courier.runtime.queue.memory.InMemoryQueue;
import dev.courier.runtime.retry.HedgePolicy;
import dev.courier.runtime.retry.RetryBudget;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link OpenTelemetryListener} on real calls to real gRPC servers on loopback and on the real
 * in-memory queue, read back through the real OpenTelemetry SDK's {@link InMemoryMetricReader}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenTelemetryListenerTest {
  private static final String ECHO = "test.Echo/Echo";
  private static final RpcMethod<StringValue, StringValue> IDEMPOTENT = Replicas.IDEMPOTENT_ECHO;
  private static final Attributes ECHO_RPC = Attributes.of(
      OpenTelemetryListener.RPC_SYSTEM_NAME, "grpc", OpenTelemetryListener.RPC_METHOD, ECHO);

  private final InMemoryMetricReader reader = InMemoryMetricReader.create();
  private final SdkMeterProvider meterProvider = SdkMeterProvider.builder().registerMetricReader(reader).build();
  private final OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder().setMeterProvider(meterProvider).build();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private Collection<MetricData> metrics = List.of();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    openTelemetry.close();
  }

  @Test
  void aRetriedCallIsOneCallOfTwoAttemptsAndOneRetryByMethodAndStatus() {
    Replicas replicas = start(2);
    replicas.get(0).failWith = Status.UNAVAILABLE.withDescription("down");
    // Round robin starts with the first endpoint: the failing one.
    ClientRuntime client = client(replicas.endpoints(), new OpenTelemetryListener(openTelemetry), null);

    client.blockingUnary(IDEMPOTENT, Replicas.text("a"));

    collect();
    assertThat(histogram("rpc.client.call.duration"))
        .as("call duration points, by attributes")
        .containsOnlyKeys(status(ECHO, "OK"))
        .hasEntrySatisfying(status(ECHO, "OK"), point -> assertThat(point.getCount()).isEqualTo(1));
    assertThat(counter("courier.client.attempts"))
        .containsExactlyInAnyOrderEntriesOf(Map.of(status(ECHO, "UNAVAILABLE"), 1L, status(ECHO, "OK"), 1L));
    assertThat(counter("courier.client.retries")).containsExactlyInAnyOrderEntriesOf(Map.of(ECHO_RPC, 1L));
    assertThat(names()).doesNotContain("courier.client.hedges", "courier.client.budget.exhausted",
        "courier.client.ejections", "courier.queue.events");
  }

  @Test
  void everyInstrumentComesFromTheCourierScopeWithItsUnit() {
    Replicas replicas = start(2);
    replicas.get(0).failWith = Status.UNAVAILABLE.withDescription("down");
    ClientRuntime client = client(replicas.endpoints(), new OpenTelemetryListener(openTelemetry), null);

    client.blockingUnary(IDEMPOTENT, Replicas.text("a"));

    collect();
    assertThat(metrics).extracting(m -> m.getInstrumentationScopeInfo().getName())
        .containsOnly(OpenTelemetryListener.SCOPE);
    assertThat(metrics.stream().collect(Collectors.toMap(MetricData::getName, MetricData::getUnit)))
        .containsExactlyInAnyOrderEntriesOf(Map.of(
            "rpc.client.call.duration", "s",
            "courier.client.attempts", "{attempt}",
            "courier.client.retries", "{retry}"));
  }

  @Test
  void aFailedCallIsRecordedWithItsFinalStatusCode() {
    Replicas replicas = start(1);
    replicas.get(0).failWith = Status.NOT_FOUND.withDescription("no such thing");
    ClientRuntime client = client(replicas.endpoints(), new OpenTelemetryListener(openTelemetry), null);

    catchThrowableOfType(CourierException.class, () -> client.blockingUnary(IDEMPOTENT, Replicas.text("x")));

    collect();
    assertThat(histogram("rpc.client.call.duration")).containsOnlyKeys(status(ECHO, "NOT_FOUND"));
    assertThat(counter("courier.client.attempts"))
        .containsExactlyInAnyOrderEntriesOf(Map.of(status(ECHO, "NOT_FOUND"), 1L));
    assertThat(names()).as("NOT_FOUND is not retried").doesNotContain("courier.client.retries");
  }

  @Test
  void spentBudgetIsCountedPerMethodAndEjectionsWithoutAnEndpointAttribute() {
    Replicas replicas = start(1);
    replicas.get(0).failWith = Status.UNAVAILABLE.withDescription("down");
    ClientRuntime client = client(replicas.endpoints(), new OpenTelemetryListener(openTelemetry),
        RetryBudget.of(0.0, 0, Duration.ofSeconds(10), System::nanoTime));

    for (int i = 0; i < 6; i++) {
      catchThrowableOfType(CourierException.class, () -> client.blockingUnary(IDEMPOTENT, Replicas.text("x")));
    }

    collect();
    assertThat(counter("courier.client.budget.exhausted")).containsExactlyInAnyOrderEntriesOf(Map.of(ECHO_RPC, 6L));
    assertThat(counter("courier.client.ejections"))
        .as("5 failures in a row eject the endpoint; no endpoint attribute")
        .containsExactlyInAnyOrderEntriesOf(Map.of(Attributes.empty(), 1L));
    assertThat(histogram("rpc.client.call.duration").get(status(ECHO, "UNAVAILABLE")).getCount()).isEqualTo(6);
  }

  @Test
  void aHedgeIsCountedPerMethodAndTheCallDurationIsInSecondsOnTheInjectedClock() throws Exception {
    Replicas replicas = start(2);
    replicas.get(0).hold(); // answers only when released: slower than any hedge
    RpcMethod<StringValue, StringValue> hedged = RpcMethod.of(Replicas.ECHO, MethodPolicy.builder()
        .idempotent(true)
        .hedge(new HedgePolicy(Duration.ofSeconds(2), 1))
        .build());
    ManualScheduler scheduler = new ManualScheduler();
    toClose.add(scheduler::shutdownNow);
    ClientRuntime client = builder(replicas.endpoints(), new OpenTelemetryListener(openTelemetry))
        .nanoClock(scheduler.clock())
        .scheduler(scheduler)
        .retryBudget(RetryBudget.unlimited())
        .build();

    // Round robin starts the call on the held replica; the hedge, 2 s later, goes to the other.
    CompletableFuture<StringValue> future = client.asyncUnary(hedged, Replicas.text("h"));
    replicas.get(0).awaitCalls(1);
    scheduler.forwardNanos(Duration.ofSeconds(2).toNanos());
    assertThat(future.get(10, TimeUnit.SECONDS).getValue()).isEqualTo("r1");
    replicas.get(0).release();

    collect();
    assertThat(counter("courier.client.hedges")).containsExactlyInAnyOrderEntriesOf(Map.of(ECHO_RPC, 1L));
    HistogramPointData duration = histogram("rpc.client.call.duration").get(status(ECHO, "OK"));
    assertThat(duration.getCount()).isEqualTo(1);
    assertThat(duration.getSum()).as("seconds: the hedge delay on the manual clock").isEqualTo(2.0);
    assertThat(duration.getBoundaries()).isEqualTo(OpenTelemetryListener.DURATION_BUCKETS);
    int bucket = OpenTelemetryListener.DURATION_BUCKETS.indexOf(2.5); // (1.0, 2.5]
    assertThat(duration.getCounts().get(bucket)).as("2 s falls in (1 s, 2.5 s]").isEqualTo(1);
  }

  @Test
  void methodsBeyondTheLimitAreRecordedAsOther() {
    Replicas replicas = start(1);
    RpcMethod<StringValue, StringValue> missing = RpcMethod.of(
        Replicas.method("Missing", MethodDescriptor.MethodType.UNARY), MethodPolicy.builder().idempotent(true).build());
    OpenTelemetryListener listener = new OpenTelemetryListener(openTelemetry.getMeter(OpenTelemetryListener.SCOPE), 1);
    ClientRuntime client = client(replicas.endpoints(), listener, null);

    client.blockingUnary(IDEMPOTENT, Replicas.text("known"));
    catchThrowableOfType(CourierException.class, () -> client.blockingUnary(missing, Replicas.text("unknown")));

    collect();
    assertThat(histogram("rpc.client.call.duration"))
        .containsOnlyKeys(status(ECHO, "OK"), status(OpenTelemetryListener.OTHER_METHOD, "UNIMPLEMENTED"));
  }

  @Test
  void queueEventsAreCountedByMethodAndEvent() throws Exception {
    OpenTelemetryListener listener = new OpenTelemetryListener(openTelemetry);
    CountDownLatch workerDone = new CountDownLatch(2);
    CourierListener workerSide = CourierListener.all(List.of(listener, new CourierListener() {
      @Override
      public void onQueueEvent(String method, QueueEvent event) {
        if (event == QueueEvent.EXECUTED || event == QueueEvent.DEAD_LETTERED) {
          workerDone.countDown();
        }
      }
    }));
    InMemoryQueue queue = closeLater(InMemoryQueue.create());
    QueueClientRuntime client = closeLater(QueueClientRuntime.create(queue, listener));
    closeLater(QueueWorkerRuntime.builder(queue).maxDeliveryAttempts(1).listener(workerSide)
        .handle(TestMethods.ECHO, req -> {
          if (req.getValue().endsWith("boom")) {
            throw new IllegalStateException("handler bug");
          }
          return req;
        }).start());

    assertThat(client.call(TestMethods.ECHO, TestMethods.text("k:hello")).get(10, TimeUnit.SECONDS).getValue())
        .isEqualTo("k:hello");
    assertThatThrownBy(() -> client.call(TestMethods.ECHO, TestMethods.text("k:boom")).get(10, TimeUnit.SECONDS))
        .hasMessageContaining("dead-lettered");
    assertThat(workerDone.await(10, TimeUnit.SECONDS)).as("the worker heard both calls").isTrue();

    collect();
    assertThat(counter("courier.queue.events")).containsExactlyInAnyOrderEntriesOf(Map.of(
        queue(ECHO, "sent"), 2L,
        queue(ECHO, "replied"), 2L,
        queue(ECHO, "executed"), 1L,
        queue(ECHO, "dead_lettered"), 1L));
  }

  @Test
  void maxMethodsBelowOneShouldFail() {
    assertThatThrownBy(() -> new OpenTelemetryListener(openTelemetry.getMeter("x"), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxMethods: 0 (expected: >= 1)");
  }

  private static Attributes status(String method, String code) {
    return Attributes.builder()
        .put(OpenTelemetryListener.RPC_SYSTEM_NAME, "grpc")
        .put(OpenTelemetryListener.RPC_METHOD, method)
        .put(OpenTelemetryListener.RPC_RESPONSE_STATUS_CODE, code)
        .build();
  }

  private static Attributes queue(String method, String event) {
    return Attributes.of(OpenTelemetryListener.RPC_METHOD, method, OpenTelemetryListener.QUEUE_EVENT, event);
  }

  private void collect() {
    metrics = reader.collectAllMetrics();
  }

  private List<String> names() {
    return metrics.stream().map(MetricData::getName).toList();
  }

  private MetricData metric(String name) {
    return metrics.stream().filter(m -> m.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name + " in " + names()));
  }

  /** The points of counter {@code name}, by their attributes. */
  private Map<Attributes, Long> counter(String name) {
    return metric(name).getLongSumData().getPoints().stream()
        .collect(Collectors.toMap(LongPointData::getAttributes, LongPointData::getValue));
  }

  /** The points of histogram {@code name}, by their attributes. */
  private Map<Attributes, HistogramPointData> histogram(String name) {
    return metric(name).getHistogramData().getPoints().stream()
        .collect(Collectors.toMap(HistogramPointData::getAttributes, p -> p));
  }

  private Replicas start(int count) {
    return closeLater(Replicas.start(count));
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  private ClientRuntime client(List<Endpoint> endpoints, CourierListener listener, RetryBudget budget) {
    ClientBuilder<ClientRuntime> b = builder(endpoints, listener);
    if (budget != null) {
      b.retryBudget(budget);
    }
    return b.build();
  }

  private ClientBuilder<ClientRuntime> builder(List<Endpoint> endpoints, CourierListener listener) {
    return ClientBuilder.forService("test.Echo", this::closeLater)
        .endpoints(endpoints)
        .balancer(BalancerKind.ROUND_ROBIN)
        .listener(listener);
  }
}
