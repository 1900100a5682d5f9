package dev.courier.runtime.discovery.consul;

import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.runtime.discovery.EndpointSource;
import dev.courier.runtime.observe.LogCapture;
import dev.courier.runtime.queue.TestMethods;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A Consul outage's log lines carry the trace and span id of the span current where the outage is
 * noticed, one line each: a client subscribing inside a traced handler while no agent answers logs
 * that handler's ids; the watch's own thread, where no call's span is current, logs none. On the
 * real OpenTelemetry SDK (courier-opentelemetry provides the ids to Courier's log lines).
 */
// "try": resources opened for their effect (a scope made current, a subscription or worker kept
// open for the block) are never named in the block, and some closes may be interrupted.
@SuppressWarnings("try")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsulOutageLogTest {

  @Test
  void noAnswerAtSubscriptionIsLoggedWithTheSubscribersTraceAndTheWatchesOutageWithout() throws Exception {
    int silent;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      silent = socket.getLocalPort(); // closed again: no Consul agent answers there
    }
    LogCapture log = new LogCapture(ConsulEndpointSource.class.getName());
    List<String> lines = log.lines;
    try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create())).build()).build();
        ConsulDiscovery consul = ConsulDiscovery.builder().url("http://127.0.0.1:" + silent)
            .initialWait(Duration.ofMillis(200)).connectTimeout(Duration.ofSeconds(1)).build()) {
      EndpointSource source = consul.endpointSource("test.Echo");
      Span handler = sdk.getTracer("test").spanBuilder("handler").startSpan();
      String ids = " trace_id=" + handler.getSpanContext().getTraceId()
          + " span_id=" + handler.getSpanContext().getSpanId();
      try (Scope s = handler.makeCurrent(); AutoCloseable subscription = source.subscribe(endpoints -> {})) {
        assertThat(lines).filteredOn(line -> line.contains("no answer yet")).singleElement().asString()
            .isEqualTo("WARNING no answer yet from " + source + ": calls fail with UNAVAILABLE until it answers"
                + ids);
        TestMethods.await("the watch's outage line", Duration.ofSeconds(10),
            () -> lines.stream().anyMatch(line -> line.contains("does not answer")));
        assertThat(lines).filteredOn(line -> line.contains("does not answer")).singleElement().asString()
            .doesNotContain("trace_id=").doesNotContain("\n");
      } finally {
        handler.end();
      }
    } finally {
      log.close();
    }
  }
}
