package dev.courier.runtime.status;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Counts each method's calls by outcome and their latencies since the server started, for the
 * status page: a server interceptor that sees every call, refused ones included. At most {@value
 * #MAX_METHODS} methods are tracked (a server has a fixed set). Thread-safe and lock-free per call.
 */
public final class MethodStats implements ServerInterceptor {
  static final int MAX_METHODS = 1000;

  private final ConcurrentMap<String, PerMethod> byMethod = new ConcurrentHashMap<>();
  private final LongSupplier nanoClock;

  /** Measures with {@code System::nanoTime}. */
  public MethodStats() {
    this(System::nanoTime);
  }

  MethodStats(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    PerMethod stats = of(call.getMethodDescriptor().getFullMethodName());
    if (stats == null) {
      return next.startCall(call, headers);
    }
    long start = nanoClock.getAsLong();
    return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        stats.record(status.getCode(), nanoClock.getAsLong() - start);
        super.close(status, trailers);
      }
    }, headers);
  }

  private PerMethod of(String method) {
    PerMethod known = byMethod.get(method);
    if (known != null || byMethod.size() >= MAX_METHODS) {
      return known;
    }
    return byMethod.computeIfAbsent(method, m -> new PerMethod());
  }

  /** Every method seen so far, sorted by name. */
  public List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    byMethod.forEach((method, stats) -> rows.add(stats.row(method)));
    rows.sort((a, b) -> a.method().compareTo(b.method()));
    return rows;
  }

  /** One method's figures: calls, failed ones (any code but OK), and latency percentiles in nanoseconds. */
  public record Row(String method, long calls, long failed, long p50Nanos, long p90Nanos, long p99Nanos) {}

  private static final class PerMethod {
    final LongAdder calls = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LatencyHistogram latency = new LatencyHistogram();

    void record(Status.Code code, long nanos) {
      calls.increment();
      if (code != Status.Code.OK) {
        failed.increment();
      }
      latency.record(nanos);
    }

    Row row(String method) {
      return new Row(method, calls.sum(), failed.sum(), latency.percentile(0.5), latency.percentile(0.9),
          latency.percentile(0.99));
    }
  }
}
