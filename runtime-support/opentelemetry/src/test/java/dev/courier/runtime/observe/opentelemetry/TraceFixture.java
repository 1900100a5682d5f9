package dev.courier.runtime.observe.opentelemetry;

import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The real OpenTelemetry SDK with its in-memory span exporter and metric reader, W3C trace context
 * and baggage propagators; and lookups over what it recorded.
 */
final class TraceFixture implements AutoCloseable {
  private final List<AutoCloseable> toClose = new ArrayList<>();
  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
      .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
      .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
      .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
          W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
      .build();

  /** Waits until {@code count} spans have ended (spans of other threads end a little after the call returns). */
  List<SpanData> awaitSpans(int count) {
    dev.courier.runtime.queue.TestMethods.await(count + " finished spans, have " + describe(),
        Duration.ofSeconds(30), () -> spans.getFinishedSpanItems().size() >= count);
    return spans.getFinishedSpanItems();
  }

  /** The one finished span named {@code name} of {@code kind}. */
  SpanData span(String name, SpanKind kind) {
    List<SpanData> found = spans.getFinishedSpanItems().stream()
        .filter(s -> s.getName().equals(name) && s.getKind() == kind).toList();
    if (found.size() != 1) {
      throw new AssertionError(found.size() + " spans " + kind + " " + name + " in " + describe());
    }
    return found.get(0);
  }

  /** Every finished span named {@code name}, by start time. */
  List<SpanData> all(String name) {
    return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name))
        .sorted(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
  }

  String describe() {
    return spans.getFinishedSpanItems().stream()
        .map(s -> s.getKind() + " " + s.getName() + " " + s.getSpanId() + "<-" + s.getParentSpanId())
        .collect(Collectors.joining(", ", "[", "]"));
  }

  MetricData metric(String name) {
    Collection<MetricData> all = metrics.collectAllMetrics();
    return all.stream().filter(m -> m.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name + " in "
            + all.stream().map(MetricData::getName).toList()));
  }

  /** Closes {@code closeable} in {@link #close()}, before the SDK, in the reverse order of these calls. */
  <T extends AutoCloseable> T closeLater(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  /** Closes what {@link #closeLater} was given, last first, then the SDK (so the last spans are exported). */
  @Override
  public void close() {
    Exception failed = null;
    for (int i = toClose.size() - 1; i >= 0; i--) {
      try {
        toClose.get(i).close();
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        if (failed == null) {
          failed = e;
        } else {
          failed.addSuppressed(e);
        }
      }
    }
    sdk.close();
    if (failed != null) {
      throw new IllegalStateException("closing a test's resource failed", failed);
    }
  }
}
