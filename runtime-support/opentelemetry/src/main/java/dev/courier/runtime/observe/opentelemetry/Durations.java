package dev.courier.runtime.observe.opentelemetry;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;
import java.util.List;

/**
 * The call-duration histograms of the semantic conventions, in the versions {@link
 * SemanticConventions} asks for: {@code rpc.client.call.duration} in seconds (stable) and {@code
 * rpc.client.duration} in milliseconds (old), or the {@code rpc.server.*} pair. Thread-safe.
 */
final class Durations {
  private static final List<Double> MILLIS_BUCKETS = OpenTelemetryListener.DURATION_BUCKETS.stream()
      .map(seconds -> seconds * 1000).toList();

  private final DoubleHistogram seconds; // null unless stable
  private final DoubleHistogram millis; // null unless old

  private Durations(Meter meter, SemanticConventions conventions, String side, String what) {
    seconds = conventions.stable() ? meter.histogramBuilder("rpc." + side + ".call.duration")
        .setDescription("Duration of " + what).setUnit("s")
        .setExplicitBucketBoundariesAdvice(OpenTelemetryListener.DURATION_BUCKETS).build() : null;
    millis = conventions.old() ? meter.histogramBuilder("rpc." + side + ".duration")
        .setDescription("Duration of " + what).setUnit("ms")
        .setExplicitBucketBoundariesAdvice(MILLIS_BUCKETS).build() : null;
  }

  static Durations client(Meter meter, SemanticConventions conventions) {
    return new Durations(meter, conventions, "client",
        "calls as the client sees them: unary ones with every attempt, backoff and hedge, streams from open to close");
  }

  static Durations server(Meter meter, SemanticConventions conventions) {
    return new Durations(meter, conventions, "server", "calls as the server handles them");
  }

  void record(long nanos, Attributes attributes) {
    if (seconds != null) {
      seconds.record(nanos / 1e9, attributes);
    }
    if (millis != null) {
      millis.record(nanos / 1e6, attributes);
    }
  }
}
