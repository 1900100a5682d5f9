package dev.courier.runtime.observe.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.client.ClientBuilder;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.client.Replicas;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.queue.QueueClientRuntime;
import dev.courier.runtime.queue.QueueTransport;
import dev.courier.runtime.queue.QueueWorkerRuntime;
import dev.courier.runtime.queue.kafka.EmbeddedKafka;
import dev.courier.runtime.queue.kafka.KafkaQueue;
import dev.courier.runtime.queue.memory.InMemoryQueue;
import dev.courier.runtime.server.CourierServer;
import dev.courier.runtime.server.ServiceBindings;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One trace across everything Courier carries a call through, on the real OpenTelemetry SDK: a
 * client calls a Courier server; its handler calls a second Courier server with a Courier client,
 * then makes a queue call to a worker (over {@link InMemoryQueue}, and over a real Kafka broker);
 * W3C {@code traceparent} and {@code baggage} travel in gRPC metadata and in queue headers.
 */
// "try": resources opened for their effect (a scope made current, a subscription or worker kept
// open for the block) are never named in the block, and some closes may be interrupted.
@SuppressWarnings("try")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OneTraceTest {
  static final RpcMethod<StringValue, StringValue> RELAY = method("test.Front/Relay");
  static final RpcMethod<StringValue, StringValue> ECHO = Replicas.IDEMPOTENT_ECHO;
  static final RpcMethod<StringValue, StringValue> JOB = method("test.Jobs/Run");

  private final TraceFixture otel = new TraceFixture();
  private final CourierOpenTelemetry courier = CourierOpenTelemetry.create(otel.sdk);
  /** The baggage each hop saw: the front server, the back server, the worker. */
  private final Map<String, AtomicReference<String>> baggageSeen = Map.of(
      "front", new AtomicReference<>(), "back", new AtomicReference<>(), "worker", new AtomicReference<>());

  static RpcMethod<StringValue, StringValue> method(String fullName) {
    return RpcMethod.of(MethodDescriptor.<StringValue, StringValue>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(fullName)
        .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
        .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
        .build(), MethodPolicy.builder().idempotent(true).build());
  }

  @AfterEach
  void closeAll() throws Exception {
    otel.close();
  }

  @Test
  void oneTraceFollowsTheCallThroughTwoServersAndTheInMemoryQueue() {
    runAndCheck(closeLater(InMemoryQueue.create()), "courier_memory");
  }

  @Test
  @Tag("slow")
  void oneTraceFollowsTheCallThroughTwoServersAndKafka() throws Exception {
    EmbeddedKafka kafka = closeLater(EmbeddedKafka.start());
    runAndCheck(closeLater(KafkaQueue.builder().bootstrapServers(kafka.bootstrapServers())
        .topicPrefix("trace-").groupId("trace-workers").build()), "kafka");
  }

  private void runAndCheck(QueueTransport transport, String system) {
    closeLater(QueueWorkerRuntime.builder(transport).listener(courier.listener()).handle(JOB, req -> {
      baggageSeen.get("worker").set(Baggage.current().getEntryValue("tenant"));
      return StringValue.of(req.getValue() + "+job");
    }).start());
    QueueClientRuntime jobs = closeLater(QueueClientRuntime.create(transport, courier.listener()));
    CourierServer back = server(ServerServiceDefinition.builder("test.Echo")
        .addMethod(ServiceBindings.unary(ECHO, req -> {
          baggageSeen.get("back").set(Baggage.current().getEntryValue("tenant"));
          return req;
        })).build());
    ClientRuntime toBack = client("test.Echo", back);
    CourierServer front = server(ServerServiceDefinition.builder("test.Front")
        .addMethod(ServiceBindings.unary(RELAY, req -> {
          baggageSeen.get("front").set(Baggage.current().getEntryValue("tenant"));
          StringValue echoed = toBack.blockingUnary(ECHO, req);
          return jobs.call(JOB, echoed).get(60, TimeUnit.SECONDS);
        })).build());
    ClientRuntime toFront = client("test.Front", front);

    Span root = otel.sdk.getTracer("test").spanBuilder("root").startSpan();
    String answer;
    try (Scope s = root.makeCurrent(); Scope b = Baggage.builder().put("tenant", "acme").build().makeCurrent()) {
      answer = toFront.blockingUnary(RELAY, StringValue.of("hi")).getValue();
    } finally {
      root.end();
    }

    assertThat(answer).isEqualTo("hi+job");
    otel.awaitSpans(10);
    SpanData frontClient = otel.span("test.Front/Relay", SpanKind.CLIENT);
    SpanData frontAttempt = otel.span("attempt test.Front/Relay", SpanKind.INTERNAL);
    SpanData frontServer = otel.span("test.Front/Relay", SpanKind.SERVER);
    SpanData backClient = otel.span("test.Echo/Echo", SpanKind.CLIENT);
    SpanData backAttempt = otel.span("attempt test.Echo/Echo", SpanKind.INTERNAL);
    SpanData backServer = otel.span("test.Echo/Echo", SpanKind.SERVER);
    SpanData queueClient = otel.span("test.Jobs/Run", SpanKind.CLIENT);
    SpanData producer = otel.span("send test.Jobs/Run", SpanKind.PRODUCER);
    SpanData consumer = otel.span("process test.Jobs/Run", SpanKind.CONSUMER);
    assertThat(otel.spans.getFinishedSpanItems()).as(otel.describe()).hasSize(10)
        .allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(root.getSpanContext().getTraceId()));
    assertParent(frontClient, root.getSpanContext().getSpanId());
    assertParent(frontAttempt, frontClient.getSpanId());
    assertParent(frontServer, frontAttempt.getSpanId());
    assertParent(backClient, frontServer.getSpanId());
    assertParent(backAttempt, backClient.getSpanId());
    assertParent(backServer, backAttempt.getSpanId());
    assertParent(queueClient, frontServer.getSpanId());
    assertParent(producer, queueClient.getSpanId());
    assertParent(consumer, producer.getSpanId());
    assertThat(baggageSeen).allSatisfy((hop, seen) -> assertThat(seen.get()).as(hop).isEqualTo("acme"));

    // The RPC conventions (stable by default) and the endpoint of each attempt.
    assertThat(frontClient.getAttributes().asMap()).containsEntry(RpcAttributes.RPC_SYSTEM_NAME, "grpc")
        .containsEntry(RpcAttributes.RPC_METHOD, "test.Front/Relay")
        .containsEntry(RpcAttributes.RPC_RESPONSE_STATUS_CODE, "OK");
    assertThat(frontServer.getAttributes().asMap()).containsEntry(RpcAttributes.RPC_SYSTEM_NAME, "grpc")
        .containsEntry(RpcAttributes.RPC_METHOD, "test.Front/Relay")
        .containsEntry(RpcAttributes.RPC_RESPONSE_STATUS_CODE, "OK");
    assertThat(frontAttempt.getAttributes().get(RpcAttributes.SERVER_ADDRESS)).isEqualTo("127.0.0.1");
    assertThat(frontAttempt.getAttributes().get(RpcAttributes.SERVER_PORT)).isEqualTo((long) front.port());
    assertThat(frontAttempt.getAttributes().get(ClientCallSpan.ATTEMPT)).isEqualTo(1L);
    // The messaging conventions on the queue hop.
    for (SpanData span : List.of(producer, consumer)) {
      assertThat(span.getAttributes().asMap())
          .containsEntry(QueueCallSpan.MESSAGING_SYSTEM, system)
          .containsEntry(QueueCallSpan.DESTINATION, "test.Jobs/Run")
          .containsKey(QueueCallSpan.MESSAGE_ID);
    }
    assertThat(producer.getAttributes().get(QueueCallSpan.OPERATION_TYPE)).isEqualTo("send");
    assertThat(consumer.getAttributes().get(QueueCallSpan.OPERATION_TYPE)).isEqualTo("process");
    assertThat(consumer.getAttributes().get(AttributeKey.stringKey("courier.queue.event"))).isEqualTo("executed");
    assertThat(consumer.getAttributes().get(QueueCallSpan.MESSAGE_ID))
        .isEqualTo(producer.getAttributes().get(QueueCallSpan.MESSAGE_ID));
    // The client span of the queue call ends on the reply, after the worker's span began.
    assertThat(queueClient.getEndEpochNanos()).isGreaterThanOrEqualTo(consumer.getStartEpochNanos());
  }

  private static void assertParent(SpanData span, String parentSpanId) {
    assertThat(span.getParentSpanId()).as("parent of %s %s", span.getKind(), span.getName()).isEqualTo(parentSpanId);
  }

  private CourierServer server(ServerServiceDefinition service) {
    return closeLater(CourierServer.builder().address("127.0.0.1", 0).addService(service)
        .intercept(courier.serverInterceptor()).start());
  }

  private ClientRuntime client(String service, CourierServer server) {
    return ClientBuilder.forService(service, this::closeLater)
        .endpoints(List.of(Endpoint.of("127.0.0.1", server.port())))
        .listener(courier.listener())
        .build();
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    return otel.closeLater(closeable);
  }
}
