package dev.courier.runtime.observe.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.client.ClientBuilder;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.client.PassiveHealth;
import dev.courier.runtime.client.Replicas;
import dev.courier.runtime.observe.LogCapture;
import dev.courier.runtime.queue.QueueClientRuntime;
import dev.courier.runtime.queue.QueueWorkerRuntime;
import dev.courier.runtime.queue.memory.InMemoryQueue;
import dev.courier.runtime.retry.RetryBudget;
import dev.courier.runtime.server.CourierServer;
import dev.courier.runtime.server.ServiceBindings;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The attempt spans of a retried call, retries, budget refusals and ejections as span events, the
 * metrics with their values in both versions of the conventions, and Courier's log lines carrying
 * the trace id; on real loopback servers and the real OpenTelemetry SDK.
 */
// "try": resources opened for their effect (a scope made current, a subscription or worker kept
// open for the block) are never named in the block, and some closes may be interrupted.
@SuppressWarnings("try")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AttemptSpansTest {
  private static final RpcMethod<StringValue, StringValue> ECHO = Replicas.IDEMPOTENT_ECHO;

  private final TraceFixture otel = new TraceFixture();

  @AfterEach
  void closeAll() throws Exception {
    otel.close();
  }

  @Test
  void aRetriedCallHasOneChildSpanPerAttemptWithItsEndpointAndTheRetryAsAnEvent() {
    Replicas replicas = closeLater(Replicas.start(2));
    replicas.get(0).failWith = Status.UNAVAILABLE.withDescription("down");
    CourierOpenTelemetry courier = CourierOpenTelemetry.create(otel.sdk);
    ClientRuntime client = client(replicas, courier, RetryBudget.unlimited(), PassiveHealth.DEFAULT);

    assertThat(client.blockingUnary(ECHO, Replicas.text("a")).getValue()).isEqualTo("r1"); // the replica that answered

    otel.awaitSpans(3);
    SpanData call = otel.span("test.Echo/Echo", SpanKind.CLIENT);
    List<SpanData> attempts = otel.all("attempt test.Echo/Echo");
    assertThat(attempts).hasSize(2).allSatisfy(a -> {
      assertThat(a.getParentSpanId()).isEqualTo(call.getSpanId());
      assertThat(a.getTraceId()).isEqualTo(call.getTraceId());
      assertThat(a.getKind()).isEqualTo(SpanKind.INTERNAL);
    });
    assertThat(attempts.get(0).getAttributes().get(RpcAttributes.SERVER_PORT))
        .isEqualTo((long) replicas.get(0).endpoint().port());
    assertThat(attempts.get(0).getAttributes().get(RpcAttributes.RPC_RESPONSE_STATUS_CODE)).isEqualTo("UNAVAILABLE");
    assertThat(attempts.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(attempts.get(1).getAttributes().get(RpcAttributes.SERVER_PORT))
        .isEqualTo((long) replicas.get(1).endpoint().port());
    assertThat(attempts.get(1).getAttributes().get(ClientCallSpan.ATTEMPT)).isEqualTo(2L);
    assertThat(attempts.get(1).getAttributes().get(RpcAttributes.RPC_RESPONSE_STATUS_CODE)).isEqualTo("OK");
    assertThat(call.getAttributes().get(ClientCallSpan.ATTEMPTS)).isEqualTo(2L);
    assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(call.getEvents()).extracting(EventData::getName).containsExactly("courier.retry");
    assertThat(call.getEvents().get(0).getAttributes().get(ClientCallSpan.ATTEMPT)).isEqualTo(2L);
  }

  @Test
  void aHedgeIsAnAttemptSpanOfItsOwnMarkedAsAHedge() {
    Replicas replicas = closeLater(Replicas.start(2));
    replicas.get(0).delayMillis = 2_000; // the first attempt hangs; the hedge answers
    CourierOpenTelemetry courier = CourierOpenTelemetry.create(otel.sdk);
    RpcMethod<StringValue, StringValue> hedged = ECHO.withPolicy(ECHO.policy().toBuilder()
        .hedge(new dev.courier.runtime.retry.HedgePolicy(Duration.ofMillis(50), 1)).build());
    ClientRuntime client = client(replicas, courier, RetryBudget.unlimited(), PassiveHealth.DEFAULT);

    assertThat(client.blockingUnary(hedged, Replicas.text("a")).getValue()).isEqualTo("r1");

    otel.awaitSpans(3);
    SpanData call = otel.span("test.Echo/Echo", SpanKind.CLIENT);
    List<SpanData> attempts = otel.all("attempt test.Echo/Echo");
    assertThat(attempts).hasSize(2).allSatisfy(a -> assertThat(a.getParentSpanId()).isEqualTo(call.getSpanId()));
    assertThat(attempts).extracting(a -> a.getAttributes().get(ClientCallSpan.HEDGE)).containsExactly(false, true);
    assertThat(attempts.get(1).getAttributes().get(RpcAttributes.SERVER_PORT))
        .isEqualTo((long) replicas.get(1).endpoint().port());
    assertThat(attempts.get(0).getAttributes().get(RpcAttributes.RPC_RESPONSE_STATUS_CODE)).isEqualTo("CANCELLED");
  }

  @Test
  void aRetryTheBudgetRefusesIsAnEventAndAnEjectionIsAnEventAndALogLineWithTheTraceId() {
    Replicas replicas = closeLater(Replicas.start(1));
    replicas.get(0).failWith = Status.UNAVAILABLE.withDescription("down");
    CourierOpenTelemetry courier = CourierOpenTelemetry.create(otel.sdk);
    RetryBudget none = RetryBudget.of(0.0, 0, Duration.ofSeconds(1), System::nanoTime);
    ClientRuntime client = client(replicas, courier, none,
        new PassiveHealth(1, Duration.ofSeconds(1), Duration.ofSeconds(1)));
    LogCapture log = closeLater(new LogCapture("dev.courier.runtime.client.EndpointNode"));

    Span root = otel.sdk.getTracer("test").spanBuilder("root").startSpan();
    try (Scope s = root.makeCurrent()) {
      assertThatThrownBy(() -> client.blockingUnary(ECHO, Replicas.text("a")))
          .isInstanceOf(CourierException.class);
    } finally {
      root.end();
    }

    otel.awaitSpans(3);
    SpanData call = otel.span("test.Echo/Echo", SpanKind.CLIENT);
    SpanData attempt = otel.span("attempt test.Echo/Echo", SpanKind.INTERNAL);
    assertThat(call.getEvents()).extracting(EventData::getName).containsExactly("courier.retry_budget.exhausted");
    assertThat(call.getAttributes().get(ClientCallSpan.STOP_REASON)).isEqualTo("budget");
    assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(attempt.getEvents()).extracting(EventData::getName).containsExactly("courier.ejection");
    assertThat(attempt.getEvents().get(0).getAttributes().get(ClientCallSpan.AttemptSpan.EJECTION_MS))
        .isEqualTo(1000.0);
    assertThat(log.lines).containsExactly("INFO ejected " + replicas.get(0).endpoint().authority()
        + " for 1000 ms after repeated failures trace_id=" + root.getSpanContext().getTraceId()
        + " span_id=" + attempt.getSpanId());
  }

  @Test
  void aDeadLetterLogLineCarriesTheCallersTraceId() throws Exception {
    CourierOpenTelemetry courier = CourierOpenTelemetry.create(otel.sdk);
    InMemoryQueue queue = closeLater(InMemoryQueue.create());
    LogCapture log = closeLater(new LogCapture("dev.courier.runtime.queue.WorkerProcessor"));
    closeLater(QueueWorkerRuntime.builder(queue).maxDeliveryAttempts(1).listener(courier.listener())
        .handle(OneTraceTest.JOB, req -> {
          throw new IllegalStateException("handler bug\nsecond line"); // still one log line
        }).start());
    QueueClientRuntime jobs = closeLater(QueueClientRuntime.create(queue, courier.listener()));

    Span root = otel.sdk.getTracer("test").spanBuilder("root").startSpan();
    try (Scope s = root.makeCurrent()) {
      assertThatThrownBy(() -> jobs.call(OneTraceTest.JOB, Replicas.text("a")).get(10, TimeUnit.SECONDS))
          .hasMessageContaining("dead-lettered");
    } finally {
      root.end();
    }

    otel.awaitSpans(4);
    SpanData consumer = otel.span("process test.Jobs/Run", SpanKind.CONSUMER);
    assertThat(consumer.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(log.lines).filteredOn(line -> line.startsWith("WARNING dead-lettered")).singleElement()
        .isEqualTo("WARNING dead-lettered a request to test.Jobs/Run: java.lang.IllegalStateException: handler bug"
            + " | second line trace_id=" + root.getSpanContext().getTraceId() + " span_id=" + consumer.getSpanId());
    assertThat(otel.span("test.Jobs/Run", SpanKind.CLIENT).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
  }

  @Test
  void bothConventionsRecordTheDurationHistogramsAndCourierCountersWithTheRightValues() {
    CourierOpenTelemetry courier = CourierOpenTelemetry.builder(otel.sdk)
        .semanticConventions(SemanticConventions.BOTH).build();
    CourierServer server = closeLater(CourierServer.builder().address("127.0.0.1", 0)
        .addService(ServerServiceDefinition.builder("test.Echo").addMethod(ServiceBindings.unary(ECHO, req -> {
          if (req.getValue().equals("missing")) {
            throw Status.NOT_FOUND.asRuntimeException();
          }
          return req;
        })).build())
        .intercept(courier.serverInterceptor()).start());
    Replicas replicas = closeLater(Replicas.start(1));
    replicas.get(0).failWith = Status.UNAVAILABLE.withDescription("down");
    ClientRuntime client = ClientBuilder.forService("test.Echo", this::closeLater)
        .endpoints(List.of(replicas.get(0).endpoint(), dev.courier.runtime.discovery.Endpoint.of("127.0.0.1", server.port())))
        .balancer(BalancerKind.ROUND_ROBIN).retryBudget(RetryBudget.unlimited())
        .listener(courier.listener()).build();

    ClientRuntime direct = ClientBuilder.forService("test.Echo", this::closeLater)
        .endpoints(List.of(dev.courier.runtime.discovery.Endpoint.of("127.0.0.1", server.port())))
        .listener(courier.listener()).build();

    client.blockingUnary(ECHO, Replicas.text("a")); // UNAVAILABLE on the replica, then OK on the server
    assertThatThrownBy(() -> direct.blockingUnary(ECHO, Replicas.text("missing"))); // NOT_FOUND, not retried
    otel.awaitSpans(7);

    Attributes ok = Attributes.builder().put("rpc.system.name", "grpc").put("rpc.system", "grpc")
        .put("rpc.service", "test.Echo").put("rpc.method", "test.Echo/Echo")
        .put("rpc.response.status_code", "OK").put("rpc.grpc.status_code", 0L).build();
    Attributes notFound = ok.toBuilder().put("rpc.response.status_code", "NOT_FOUND")
        .put("rpc.grpc.status_code", 5L).build();
    for (String name : List.of("rpc.client.call.duration", "rpc.client.duration", "rpc.server.call.duration",
        "rpc.server.duration")) {
      assertThat(counts(name)).as(name).containsEntry(ok, 1L).containsEntry(notFound, 1L);
    }
    assertThat(otel.metric("rpc.client.call.duration").getUnit()).isEqualTo("s");
    assertThat(otel.metric("rpc.client.duration").getUnit()).isEqualTo("ms");
    Attributes rpc = Attributes.builder().put("rpc.system.name", "grpc").put("rpc.system", "grpc")
        .put("rpc.service", "test.Echo").put("rpc.method", "test.Echo/Echo").build();
    assertThat(sums("courier.client.retries")).containsExactly(Map.entry(rpc, 1L));
    assertThat(sums("courier.client.attempts")).containsEntry(ok, 1L).containsEntry(notFound, 1L)
        .containsEntry(rpc.toBuilder().put("rpc.response.status_code", "UNAVAILABLE")
            .put("rpc.grpc.status_code", 14L).build(), 1L);
    assertThat(otel.all("test.Echo/Echo")).filteredOn(span -> span.getKind() == SpanKind.SERVER)
        .extracting(span -> span.getAttributes().get(RpcAttributes.RPC_GRPC_STATUS_CODE))
        .containsExactlyInAnyOrder(0L, 5L);
  }

  private Map<Attributes, Long> counts(String histogram) {
    return otel.metric(histogram).getHistogramData().getPoints().stream()
        .collect(Collectors.toMap(HistogramPointData::getAttributes, HistogramPointData::getCount));
  }

  private Map<Attributes, Long> sums(String counter) {
    return otel.metric(counter).getLongSumData().getPoints().stream()
        .collect(Collectors.toMap(LongPointData::getAttributes, LongPointData::getValue));
  }

  private ClientRuntime client(Replicas replicas, CourierOpenTelemetry courier, RetryBudget budget,
      PassiveHealth health) {
    return ClientBuilder.forService("test.Echo", this::closeLater)
        .endpoints(replicas.endpoints())
        .balancer(BalancerKind.ROUND_ROBIN)
        .retryBudget(budget)
        .passiveHealth(health)
        .listener(courier.listener())
        .build();
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    return otel.closeLater(closeable);
  }
}
