package dev.courier.runtime.observe.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.courier.runtime.client.Replicas;
import dev.courier.runtime.queue.QueueClientRuntime;
import dev.courier.runtime.queue.QueueWorkerRuntime;
import dev.courier.runtime.queue.memory.InMemoryQueue;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A fire-and-forget queue {@code send} is its producer span alone (no client span waits for a
 * reply), a child of the caller's span, with the messaging attributes; the worker's consumer span
 * is its child; a publication the queue refuses is a producer span with an error. Over {@link
 * InMemoryQueue} and the real OpenTelemetry SDK.
 */
// "try": resources opened for their effect (a scope made current, a subscription or worker kept
// open for the block) are never named in the block, and some closes may be interrupted.
@SuppressWarnings("try")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QueueSendSpanTest {
  private final TraceFixture otel = new TraceFixture();
  private final CourierOpenTelemetry courier = CourierOpenTelemetry.create(otel.sdk);

  @AfterEach
  void closeAll() throws Exception {
    otel.close();
  }

  @Test
  void aSendIsAProducerSpanUnderTheCallersSpanAndParentOfTheWorkersConsumerSpan() throws Exception {
    InMemoryQueue queue = closeLater(InMemoryQueue.create());
    CompletableFuture<String> handled = new CompletableFuture<>();
    closeLater(QueueWorkerRuntime.builder(queue).listener(courier.listener()).handle(OneTraceTest.JOB, req -> {
      handled.complete(req.getValue());
      return req;
    }).start());
    QueueClientRuntime jobs = closeLater(QueueClientRuntime.create(queue, courier.listener()));

    Span root = otel.sdk.getTracer("test").spanBuilder("root").startSpan();
    try (Scope s = root.makeCurrent()) {
      jobs.send(OneTraceTest.JOB, Replicas.text("fire")).get(10, TimeUnit.SECONDS);
    } finally {
      root.end();
    }
    assertThat(handled.get(10, TimeUnit.SECONDS)).isEqualTo("fire");

    otel.awaitSpans(3); // root, producer, consumer
    SpanData producer = otel.span("send test.Jobs/Run", SpanKind.PRODUCER);
    SpanData consumer = otel.span("process test.Jobs/Run", SpanKind.CONSUMER);
    assertThat(otel.all("test.Jobs/Run")).as("no client span waits for a reply").isEmpty();
    assertThat(producer.getParentSpanId()).isEqualTo(root.getSpanContext().getSpanId());
    assertThat(producer.getTraceId()).isEqualTo(root.getSpanContext().getTraceId());
    assertThat(producer.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(producer.getAttributes().get(QueueCallSpan.MESSAGING_SYSTEM)).isEqualTo("courier_memory");
    assertThat(producer.getAttributes().get(QueueCallSpan.DESTINATION)).isEqualTo("test.Jobs/Run");
    assertThat(producer.getAttributes().get(QueueCallSpan.OPERATION_TYPE)).isEqualTo("send");
    assertThat(producer.getAttributes().get(QueueCallSpan.MESSAGE_ID)).isNotBlank();
    assertThat(consumer.getParentSpanId()).isEqualTo(producer.getSpanId());
    assertThat(consumer.getAttributes().get(QueueCallSpan.MESSAGE_ID))
        .isEqualTo(producer.getAttributes().get(QueueCallSpan.MESSAGE_ID));
    assertThat(consumer.getAttributes().get(QueueWorkSpan.OUTCOME)).isEqualTo("executed");
  }

  @Test
  void aSendTheQueueRefusesIsAProducerSpanWithAnError() throws Exception {
    InMemoryQueue full = closeLater(InMemoryQueue.builder().capacity(1).fullQueueTimeout(Duration.ZERO).build());
    QueueClientRuntime jobs = closeLater(QueueClientRuntime.create(full, courier.listener()));
    jobs.send(OneTraceTest.JOB, Replicas.text("fits")).get(10, TimeUnit.SECONDS); // no worker: it stays

    CompletableFuture<Void> refused = jobs.send(OneTraceTest.JOB, Replicas.text("does not fit"));

    assertThat(refused).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
        .withMessageContaining("RESOURCE_EXHAUSTED");
    List<SpanData> sends = otel.awaitSpans(2).stream().filter(s -> s.getKind() == SpanKind.PRODUCER).toList();
    assertThat(sends).extracting(s -> s.getStatus().getStatusCode())
        .containsExactly(StatusCode.UNSET, StatusCode.ERROR);
    assertThat(sends.get(1).getEvents()).extracting(e -> e.getName()).containsExactly("exception");
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    return otel.closeLater(closeable);
  }
}
