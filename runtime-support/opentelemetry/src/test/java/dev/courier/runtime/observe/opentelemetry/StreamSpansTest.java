package dev.courier.runtime.observe.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.client.ClientBuilder;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.client.Replicas;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.discovery.EndpointSource;
import dev.courier.runtime.server.CourierServer;
import dev.courier.runtime.server.ServiceBindings;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Client-, server- and bidi-streaming calls get a client span with one attempt span on the picked
 * endpoint, parent of the server's span, with the conventions' attributes and the stream's status;
 * and each records one client call duration with its status; on a real loopback server and the
 * real OpenTelemetry SDK.
 */
// "try": resources opened for their effect (a scope made current, a subscription or worker kept
// open for the block) are never named in the block, and some closes may be interrupted.
@SuppressWarnings("try")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamSpansTest {
  private static final RpcMethod<StringValue, StringValue> REPEAT = stream("Repeat", MethodType.SERVER_STREAMING);
  private static final RpcMethod<StringValue, StringValue> JOIN = stream("Join", MethodType.CLIENT_STREAMING);
  private static final RpcMethod<StringValue, StringValue> CHAT = stream("Chat", MethodType.BIDI_STREAMING);

  private final TraceFixture otel = new TraceFixture();
  private final CourierOpenTelemetry courier = CourierOpenTelemetry.create(otel.sdk);

  @AfterEach
  void closeAll() throws Exception {
    otel.close();
  }

  @Test
  void aServerStreamingCallIsAClientSpanWithOneAttemptThatParentsTheServerSpan() throws Exception {
    CourierServer server = server();
    ClientRuntime client = client(server);
    Span root = otel.sdk.getTracer("test").spanBuilder("root").startSpan();
    Collected answers = new Collected();
    try (Scope s = root.makeCurrent()) {
      client.serverStreaming(REPEAT, Replicas.text("a"), answers);
    } finally {
      root.end();
    }
    assertThat(answers.done.get(10, TimeUnit.SECONDS)).containsExactly("a:0", "a:1", "a:2");

    otel.awaitSpans(4);
    SpanData call = otel.span("test.Echo/Repeat", SpanKind.CLIENT);
    SpanData attempt = otel.span("attempt test.Echo/Repeat", SpanKind.INTERNAL);
    SpanData handled = otel.span("test.Echo/Repeat", SpanKind.SERVER);
    assertThat(call.getParentSpanId()).isEqualTo(root.getSpanContext().getSpanId());
    assertThat(attempt.getParentSpanId()).isEqualTo(call.getSpanId());
    assertThat(handled.getParentSpanId()).isEqualTo(attempt.getSpanId());
    assertThat(handled.getTraceId()).isEqualTo(root.getSpanContext().getTraceId());
    assertThat(call.getAttributes().get(RpcAttributes.RPC_SYSTEM_NAME)).isEqualTo("grpc");
    assertThat(call.getAttributes().get(RpcAttributes.RPC_METHOD)).isEqualTo("test.Echo/Repeat");
    assertThat(call.getAttributes().get(RpcAttributes.RPC_RESPONSE_STATUS_CODE)).isEqualTo("OK");
    assertThat(call.getAttributes().get(ClientCallSpan.ATTEMPTS)).isEqualTo(1L);
    assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(attempt.getAttributes().get(RpcAttributes.SERVER_ADDRESS)).isEqualTo("127.0.0.1");
    assertThat(attempt.getAttributes().get(RpcAttributes.SERVER_PORT)).isEqualTo((long) server.port());
    assertThat(attempt.getAttributes().get(ClientCallSpan.ATTEMPT)).isEqualTo(1L);
    assertThat(attempt.getAttributes().get(RpcAttributes.RPC_RESPONSE_STATUS_CODE)).isEqualTo("OK");
  }

  @Test
  void aClientStreamingCallIsTracedUntilTheServerAnswers() throws Exception {
    CourierServer server = server();
    Collected answers = new Collected();
    StreamObserver<StringValue> requests = client(server).clientStreaming(JOIN, answers);
    requests.onNext(Replicas.text("x"));
    requests.onNext(Replicas.text("y"));
    requests.onCompleted();
    assertThat(answers.done.get(10, TimeUnit.SECONDS)).containsExactly("x+y");

    otel.awaitSpans(3);
    SpanData call = otel.span("test.Echo/Join", SpanKind.CLIENT);
    SpanData attempt = otel.span("attempt test.Echo/Join", SpanKind.INTERNAL);
    assertThat(call.getParentSpanContext().isValid()).isFalse(); // no span was current: a root
    assertThat(attempt.getParentSpanId()).isEqualTo(call.getSpanId());
    assertThat(otel.span("test.Echo/Join", SpanKind.SERVER).getParentSpanId()).isEqualTo(attempt.getSpanId());
    assertThat(call.getAttributes().get(RpcAttributes.RPC_RESPONSE_STATUS_CODE)).isEqualTo("OK");
  }

  @Test
  void aFailedBidiStreamMarksTheClientAndAttemptSpansAsErrorsWithTheStatus() throws Exception {
    CourierServer server = server();
    Collected answers = new Collected();
    StreamObserver<StringValue> requests = client(server).bidiStreaming(CHAT, answers);
    requests.onNext(Replicas.text("hello"));
    requests.onNext(Replicas.text("fail"));
    assertThat(answers.done).failsWithin(Duration.ofSeconds(10))
        .withThrowableThat().withMessageContaining("FAILED_PRECONDITION");
    assertThat(answers.seen).containsExactly("hello!");

    otel.awaitSpans(3);
    SpanData call = otel.span("test.Echo/Chat", SpanKind.CLIENT);
    SpanData attempt = otel.span("attempt test.Echo/Chat", SpanKind.INTERNAL);
    assertThat(attempt.getParentSpanId()).isEqualTo(call.getSpanId());
    assertThat(call.getAttributes().get(RpcAttributes.RPC_RESPONSE_STATUS_CODE)).isEqualTo("FAILED_PRECONDITION");
    assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(call.getStatus().getDescription()).isEqualTo("FAILED_PRECONDITION: told to fail");
    assertThat(attempt.getAttributes().get(RpcAttributes.RPC_RESPONSE_STATUS_CODE)).isEqualTo("FAILED_PRECONDITION");
    assertThat(attempt.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    SpanData handled = otel.span("test.Echo/Chat", SpanKind.SERVER);
    assertThat(handled.getParentSpanId()).isEqualTo(attempt.getSpanId());
    // FAILED_PRECONDITION is the caller's problem, not the server's: the server span is no error.
    assertThat(handled.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
  }

  @Test
  void aStreamWithNoEndpointEndsItsClientSpanAsUnavailable() {
    ClientRuntime client = ClientBuilder.forService("test.Echo", this::closeLater)
        .endpointSource(EndpointSource.of(List.of())).listener(courier.listener()).build();
    Collected answers = new Collected();

    client.serverStreaming(REPEAT, Replicas.text("a"), answers);

    assertThat(answers.done).isCompletedExceptionally();
    SpanData call = otel.span("test.Echo/Repeat", SpanKind.CLIENT);
    assertThat(call.getAttributes().get(RpcAttributes.RPC_RESPONSE_STATUS_CODE)).isEqualTo("UNAVAILABLE");
    assertThat(call.getAttributes().get(ClientCallSpan.ATTEMPTS)).isZero();
    assertThat(otel.all("attempt test.Echo/Repeat")).isEmpty();
  }

  @Test
  void aServerStreamingAndAFailedClientStreamingCallEachRecordOneClientDuration() throws Exception {
    CourierServer server = server();
    ClientRuntime client = client(server);
    Collected repeated = new Collected();
    client.serverStreaming(REPEAT, Replicas.text("a"), repeated);
    assertThat(repeated.done.get(10, TimeUnit.SECONDS)).hasSize(3);
    Collected joined = new Collected();
    StreamObserver<StringValue> requests = client.clientStreaming(JOIN, joined);
    requests.onNext(Replicas.text("fail"));
    requests.onCompleted();
    assertThat(joined.done).failsWithin(Duration.ofSeconds(10))
        .withThrowableThat().withMessageContaining("FAILED_PRECONDITION");
    // Each stream's end is told to the listener before its observer hears of the close.
    List<HistogramPointData> points = List.copyOf(
        otel.metric("rpc.client.call.duration").getHistogramData().getPoints());
    assertThat(points).extracting(HistogramPointData::getAttributes).containsExactlyInAnyOrder(
        Attributes.of(RpcAttributes.RPC_SYSTEM_NAME, "grpc", RpcAttributes.RPC_METHOD, "test.Echo/Repeat",
            RpcAttributes.RPC_RESPONSE_STATUS_CODE, "OK"),
        Attributes.of(RpcAttributes.RPC_SYSTEM_NAME, "grpc", RpcAttributes.RPC_METHOD, "test.Echo/Join",
            RpcAttributes.RPC_RESPONSE_STATUS_CODE, "FAILED_PRECONDITION"));
    assertThat(points).allSatisfy(p -> {
      assertThat(p.getCount()).isEqualTo(1);
      assertThat(p.getSum()).isPositive();
    });
  }

  private CourierServer server() {
    ServerServiceDefinition service = ServerServiceDefinition.builder("test.Echo")
        .addMethod(ServiceBindings.serverStreaming(REPEAT, (request, responses) -> {
          for (int i = 0; i < 3; i++) {
            responses.onNext(Replicas.text(request.getValue() + ":" + i));
          }
          responses.onCompleted();
        }))
        .addMethod(ServiceBindings.clientStreaming(JOIN, responses -> new StreamObserver<StringValue>() {
          private final List<String> parts = new ArrayList<>();

          @Override
          public void onNext(StringValue value) {
            parts.add(value.getValue());
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {
            if (parts.contains("fail")) {
              responses.onError(Status.FAILED_PRECONDITION.withDescription("told to fail").asRuntimeException());
              return;
            }
            responses.onNext(Replicas.text(String.join("+", parts)));
            responses.onCompleted();
          }
        }))
        .addMethod(ServiceBindings.bidiStreaming(CHAT, responses -> new StreamObserver<StringValue>() {
          @Override
          public void onNext(StringValue value) {
            if (value.getValue().equals("fail")) {
              responses.onError(Status.FAILED_PRECONDITION.withDescription("told to fail").asRuntimeException());
            } else {
              responses.onNext(Replicas.text(value.getValue() + "!"));
            }
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {
            responses.onCompleted();
          }
        }))
        .build();
    return closeLater(CourierServer.builder().address("127.0.0.1", 0).gracePeriod(Duration.ZERO)
        .addService(service).intercept(courier.serverInterceptor()).start());
  }

  private ClientRuntime client(CourierServer server) {
    return ClientBuilder.forService("test.Echo", this::closeLater)
        .endpoints(List.of(Endpoint.of("127.0.0.1", server.port())))
        .listener(courier.listener()).build();
  }

  private static RpcMethod<StringValue, StringValue> stream(String name, MethodType type) {
    return RpcMethod.of(Replicas.method(name, type), MethodPolicy.DEFAULT);
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    return otel.closeLater(closeable);
  }

  /** The responses of a stream; {@link #done} completes with them, or with its failure. */
  private static final class Collected implements StreamObserver<StringValue> {
    final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    final CompletableFuture<List<String>> done = new CompletableFuture<>();

    @Override
    public void onNext(StringValue value) {
      seen.add(value.getValue());
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onCompleted() {
      done.complete(List.copyOf(seen));
    }
  }
}
