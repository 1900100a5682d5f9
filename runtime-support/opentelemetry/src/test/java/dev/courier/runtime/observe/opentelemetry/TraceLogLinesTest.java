package dev.courier.runtime.observe.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.runtime.observe.TraceLog;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link TraceLog#line} on the real OpenTelemetry SDK: the current span's trace and span id end the
 * line, and line breaks in the message are joined, so a log line stays one line. (A registry
 * outage's line: {@code ConsulOutageLogTest} in courier-consul.)
 */
// "try": resources opened for their effect (a scope made current, a subscription or worker kept
// open for the block) are never named in the block, and some closes may be interrupted.
@SuppressWarnings("try")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TraceLogLinesTest {
  private final TraceFixture otel = new TraceFixture();

  @AfterEach
  void close() {
    otel.close();
  }

  @Test
  void aLineWrittenInsideASpanEndsWithItsIdsAndItsLineBreaksAreJoined() {
    Span span = otel.sdk.getTracer("test").spanBuilder("handler").startSpan();
    try (Scope s = span.makeCurrent()) {
      assertThat(TraceLog.line("failed: first\nsecond\r\nthird")).isEqualTo("failed: first | second | third"
          + " trace_id=" + span.getSpanContext().getTraceId() + " span_id=" + span.getSpanContext().getSpanId());
    } finally {
      span.end();
    }
    assertThat(TraceLog.line("no span")).isEqualTo("no span");
  }
}
