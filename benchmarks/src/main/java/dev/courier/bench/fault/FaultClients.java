package dev.courier.bench.fault;

import com.google.protobuf.StringValue;
import dev.courier.bench.StaticResolverProvider;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.client.ChannelFactory;
import dev.courier.runtime.client.ClientBuilder;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.discovery.EndpointSource;
import dev.courier.runtime.fault.FaultReplica;
import dev.courier.runtime.fault.GrpcBaseline;
import dev.courier.runtime.observe.CourierListener;
import dev.courier.runtime.retry.HedgePolicy;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The two clients of the fault comparison, set up in one place. Courier's declares only what a
 * user writes in the {@code .proto}: {@code idempotent: true} (and, in the adaptive-hedging row,
 * {@code hedge: { hedge_after: "p95" }}); everything else is its defaults. grpc-java's is a
 * {@code round_robin} channel with a service-config {@code retryPolicy} (3 attempts on {@code
 * UNAVAILABLE}, 50 ms doubling to 1 s) and {@code retryThrottling} 10 / 0.1, read from {@link
 * GrpcBaseline}'s JSON, which a test also gives to Courier's {@code ClientBuilder.serviceConfig}. Both give a call the
 * same deadline when the scenario asks for one.
 */
final class FaultClients {
  /** The deadline of the hung-replica scenario, for both clients. */
  static final Duration DEADLINE = Duration.ofMillis(200);

  /** What a user declares for an idempotent method: {@code idempotent: true}, nothing else. */
  static final RpcMethod<StringValue, StringValue> IDEMPOTENT =
      RpcMethod.of(FaultReplica.IDEMPOTENT, MethodPolicy.builder().idempotent(true).build());
  /** {@code idempotent: true, hedge: { hedge_after: "p95" }}. */
  static final RpcMethod<StringValue, StringValue> ADAPTIVE_HEDGE = RpcMethod.of(FaultReplica.IDEMPOTENT,
      MethodPolicy.builder().idempotent(true).hedge(HedgePolicy.atPercentile(95, 1)).build());
  /** A method that is not idempotent: nothing declared. */
  static final RpcMethod<StringValue, StringValue> ONCE = RpcMethod.of(FaultReplica.ONCE, MethodPolicy.DEFAULT);

  private FaultClients() {}

  /** A client under test: one blocking call per request id. */
  interface Client extends AutoCloseable {
    void call(MethodDescriptor<StringValue, StringValue> method, String id, boolean deadline);

    /** Attempts sent so far, by endpoint ({@code host:port}). */
    Map<String, Long> attemptsByEndpoint();

    @Override
    void close();
  }

  /** Counts attempts per endpoint: a client interceptor sees every attempt and hedge. */
  private static final class AttemptCounter implements ClientInterceptor {
    final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
        MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
      counts.computeIfAbsent(next.authority(), k -> new LongAdder()).increment();
      ClientCall<ReqT, RespT> call = next.newCall(method, options);
      return Shares.TRACE ? ResponseThreads.watch(next.authority(), call) : call;
    }

    Map<String, Long> snapshot() {
      Map<String, Long> out = new HashMap<>();
      counts.forEach((k, v) -> out.put(k, v.sum()));
      return out;
    }
  }

  /** Courier's client with its defaults ({@code courier}) or grpc-java's, over the same replicas. */
  static Client either(boolean courier, List<Integer> ports) {
    return courier ? courier(ports, IDEMPOTENT, CourierListener.NONE) : grpc(ports);
  }

  static Client courier(List<Integer> ports, RpcMethod<StringValue, StringValue> idempotent, CourierListener listener) {
    return courier(EndpointSource.of(ports.stream().map(p -> Endpoint.of("127.0.0.1", p)).toList()), idempotent,
        listener);
  }

  static Client courier(EndpointSource source, RpcMethod<StringValue, StringValue> idempotent,
      CourierListener listener) {
    return courier(source, idempotent, listener, null);
  }

  /**
   * Courier's defaults, but with gRPC's own retry layer switched on again under Courier's (as
   * every Courier channel had it before {@code 8171811}): what that layer costs a call.
   */
  static Client courierWithGrpcRetries(List<Integer> ports) {
    return courier(EndpointSource.of(ports.stream().map(p -> Endpoint.of("127.0.0.1", p)).toList()), IDEMPOTENT,
        CourierListener.NONE, ChannelFactory.netty(b -> b.usePlaintext().enableRetry()));
  }

  private static Client courier(EndpointSource source, RpcMethod<StringValue, StringValue> idempotent,
      CourierListener listener, ChannelFactory channels) {
    AttemptCounter counter = new AttemptCounter();
    ClientBuilder<ClientRuntime> builder = ClientBuilder.forService("fault.Echo", r -> r)
        .endpointSource(source)
        .interceptors(counter)
        .listener(listener);
    if (channels != null) {
      builder.channelFactory(channels);
    }
    ClientRuntime runtime = builder.build();
    ClientRuntime withDeadline = runtime.withDeadline(DEADLINE);
    return new Client() {
      @Override
      public void call(MethodDescriptor<StringValue, StringValue> method, String id, boolean deadline) {
        (deadline ? withDeadline : runtime).blockingUnary(method == FaultReplica.ONCE ? ONCE : idempotent,
            StringValue.of(id));
      }

      @Override
      public Map<String, Long> attemptsByEndpoint() {
        return counter.snapshot();
      }

      @Override
      public void close() {
        runtime.close();
      }
    };
  }

  static Client grpc(List<Integer> ports) {
    AttemptCounter counter = new AttemptCounter();
    ManagedChannel channel = NettyChannelBuilder.forTarget(StaticResolverProvider.SCHEME + ":///" + String.join(",",
            ports.stream().map(p -> "127.0.0.1:" + p).toList()))
        .usePlaintext()
        .defaultServiceConfig(GrpcBaseline.serviceConfig())
        .enableRetry()
        .build();
    Channel counted = io.grpc.ClientInterceptors.intercept(channel, counter);
    return new Client() {
      @Override
      public void call(MethodDescriptor<StringValue, StringValue> method, String id, boolean deadline) {
        CallOptions options = deadline
            ? CallOptions.DEFAULT.withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS) : CallOptions.DEFAULT;
        ClientCalls.blockingUnaryCall(counted, method, options, StringValue.of(id));
      }

      @Override
      public Map<String, Long> attemptsByEndpoint() {
        return counter.snapshot(); // calls, not attempts: grpc retries below the interceptor
      }

      @Override
      public void close() {
        try {
          channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
  }
}
