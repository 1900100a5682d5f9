package dev.courier.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import com.google.protobuf.BytesValue;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.client.ChannelFactory;
import dev.courier.runtime.client.ClientBuilder;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.client.PassiveHealth;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.observe.opentelemetry.CourierOpenTelemetry;
import dev.courier.runtime.retry.RetryBudget;
import dev.courier.runtime.retry.RetryPolicy;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.NameResolverRegistry;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Courier's client against raw grpc-java on the same loopback echo servers, in one run. Prints a
 * Markdown table. Arguments: {@code [seconds per scenario, default 4] [warm-up seconds, default 2]
 * [scenarios, default all: overhead,slow,refusing,tracing]}.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp "benchmarks/target/classes:benchmarks/target/lib/*" dev.courier.bench.ClientVsRawGrpc
 * java -cp "benchmarks/target/classes:benchmarks/target/lib/*" dev.courier.bench.ClientVsRawGrpc 8 2 tracing
 * </pre>
 *
 * <p>The tracing rows compare one Courier client with three listeners, in alternating rounds on
 * the same server: none; {@code CourierOpenTelemetry} on {@code OpenTelemetry.noop()} (tracing off:
 * the library present, no SDK); and on the real SDK with {@code Sampler.alwaysOff()} (tracing on,
 * every span dropped; context still propagated). The SDK has no metric reader, so only tracing is
 * measured.
 */
public final class ClientVsRawGrpc {
  private static final MethodDescriptor<BytesValue, BytesValue> ECHO = EchoServers.ECHO;
  private static final RpcMethod<BytesValue, BytesValue> COURIER_ECHO =
      RpcMethod.of(ECHO, MethodPolicy.builder().idempotent(true).build());
  private static final BytesValue PAYLOAD = payload();
  /** The raw-vs-Courier comparisons alternate this many rounds of each. */
  private static final int ROUNDS = 4;

  private final double seconds;
  private final double warmup;
  private final List<String> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  private ClientVsRawGrpc(double seconds, double warmup) {
    this.seconds = seconds;
    this.warmup = warmup;
  }

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 4;
    double warmup = args.length > 1 ? Double.parseDouble(args[1]) : 2;
    List<String> scenarios = List.of((args.length > 2 ? args[2] : "overhead,slow,refusing,tracing").split(","));
    NameResolverRegistry.getDefaultRegistry().register(new StaticResolverProvider());
    ClientVsRawGrpc bench = new ClientVsRawGrpc(seconds, warmup);
    if (scenarios.contains("overhead")) {
      bench.overhead();
    }
    if (scenarios.contains("slow")) {
      bench.slowReplica();
    }
    if (scenarios.contains("refusing")) {
      bench.refusingReplicas();
    }
    if (scenarios.contains("tracing")) {
      bench.tracing();
    }
    System.out.println();
    System.out.printf("Java %s, %d cores, %s; %.0f s measured after %.0f s warm-up per scenario; 64-byte payload%n",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"), seconds, warmup);
    System.out.println(Result.header());
    bench.rows.forEach(System.out::println);
    bench.notes.forEach(System.out::println);
  }

  /**
   * A raw grpc-java channel as every raw row has it: plaintext, and grpc-java's retry layer off, as
   * Courier's channels have it ({@code ChannelFactory}), so that no ratio credits Courier with
   * leaving that layer out. No row uses grpc's retries. Its executor stays grpc-java's default: the
   * direct executor is a Courier default the rows compare.
   */
  private static NettyChannelBuilder rawChannel(NettyChannelBuilder builder) {
    return builder.usePlaintext().disableRetry();
  }

  private static BytesValue payload() {
    byte[] bytes = new byte[64];
    ThreadLocalRandom.current().nextBytes(bytes);
    return BytesValue.of(ByteString.copyFrom(bytes));
  }

  /** One server; raw blocking vs Courier blocking (16 threads), raw future vs Courier async (256). */
  private void overhead() throws Exception {
    Server server = EchoServers.start(0);
    ManagedChannel raw = rawChannel(NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())).build();
    ClientRuntime courier = courier(List.of(endpoint(server)), BalancerKind.ROUND_ROBIN).build();
    try {
      // Warm both up, then alternate short rounds so that noise from other processes on the
      // machine falls on both sides alike.
      Load.BlockingCall rawCall = () -> ClientCalls.blockingUnaryCall(raw, ECHO, CallOptions.DEFAULT, PAYLOAD);
      Load.BlockingCall courierCall = () -> courier.blockingUnary(COURIER_ECHO, PAYLOAD);
      Load.blocking("warm-up", 16, 0, warmup, rawCall);
      Load.blocking("warm-up", 16, 0, warmup, courierCall);
      Load.Recorder rawB = new Load.Recorder();
      Load.Recorder courierB = new Load.Recorder();
      for (int round = 0; round < ROUNDS; round++) {
        Load.blockingRound(16, seconds / ROUNDS, rawCall, rawB);
        Load.blockingRound(16, seconds / ROUNDS, courierCall, courierB);
      }
      Load.async("warm-up", 256, 0, warmup, () -> rawFuture(raw));
      Load.async("warm-up", 256, 0, warmup, () -> courier.asyncUnary(COURIER_ECHO, PAYLOAD));
      Load.Recorder rawF = new Load.Recorder();
      Load.Recorder courierF = new Load.Recorder();
      for (int round = 0; round < ROUNDS; round++) {
        Load.asyncRound(256, seconds / ROUNDS, () -> rawFuture(raw), rawF);
        Load.asyncRound(256, seconds / ROUNDS, () -> courier.asyncUnary(COURIER_ECHO, PAYLOAD), courierF);
      }
      Load.Recorder pooledF = new Load.Recorder();
      try (ClientRuntime pooled = courier(List.of(endpoint(server)), BalancerKind.ROUND_ROBIN)
          .channelFactory(ChannelFactory.pooled(2, ChannelFactory.plaintext())).build()) {
        Load.async("warm-up", 256, 0, warmup, () -> pooled.asyncUnary(COURIER_ECHO, PAYLOAD));
        for (int round = 0; round < ROUNDS; round++) {
          Load.asyncRound(256, seconds / ROUNDS, () -> rawFuture(raw), rawF);
          Load.asyncRound(256, seconds / ROUNDS, () -> pooled.asyncUnary(COURIER_ECHO, PAYLOAD), pooledF);
        }
      }
      Result rawBlocking = rawB.result("raw grpc-java blocking stub, 16 threads");
      Result courierBlocking = courierB.result("Courier blockingUnary, 16 threads");
      Result rawFuture = rawF.result("raw grpc-java future stub, 256 in flight");
      Result courierAsync = courierF.result("Courier asyncUnary, 256 in flight");
      rows.add(rawBlocking.row(rawBlocking));
      rows.add(courierBlocking.row(rawBlocking));
      rows.add(rawFuture.row(rawFuture));
      rows.add(courierAsync.row(rawFuture));
      rows.add(pooledF.result("Courier asyncUnary, 2 connections, 256 in flight").row(rawFuture));
    } finally {
      courier.close();
      raw.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      EchoServers.stop(server);
    }
  }

  /**
   * One server, Courier blocking with 16 threads: no listener; tracing off (noop OpenTelemetry);
   * tracing on with a sampler that drops everything. Alternating rounds, as in {@link #overhead}.
   */
  private void tracing() throws Exception {
    Server server = EchoServers.start(0);
    SdkTracerProvider dropping = SdkTracerProvider.builder().setSampler(Sampler.alwaysOff()).build();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(dropping).build();
    List<String> names = List.of("Courier blockingUnary, no tracing, 16 threads",
        "Courier + CourierOpenTelemetry, OpenTelemetry.noop() (tracing off)",
        "Courier + CourierOpenTelemetry, SDK, Sampler.alwaysOff() (tracing on)");
    List<ClientRuntime> clients = List.of(
        courier(List.of(endpoint(server)), BalancerKind.ROUND_ROBIN).build(),
        courier(List.of(endpoint(server)), BalancerKind.ROUND_ROBIN)
            .listener(CourierOpenTelemetry.create(OpenTelemetry.noop()).listener()).build(),
        courier(List.of(endpoint(server)), BalancerKind.ROUND_ROBIN)
            .listener(CourierOpenTelemetry.create(sdk).listener()).build());
    try {
      List<Load.Recorder> recorders = new ArrayList<>();
      for (ClientRuntime client : clients) {
        Load.blocking("warm-up", 16, 0, warmup, () -> client.blockingUnary(COURIER_ECHO, PAYLOAD));
        recorders.add(new Load.Recorder());
      }
      for (int round = 0; round < ROUNDS; round++) {
        for (int k = 0; k < clients.size(); k++) {
          int i = (round + k) % clients.size(); // each variant goes first in some round
          ClientRuntime client = clients.get(i);
          Load.blockingRound(16, seconds / ROUNDS, () -> client.blockingUnary(COURIER_ECHO, PAYLOAD), recorders.get(i));
        }
      }
      Result plain = recorders.get(0).result(names.get(0));
      rows.add(plain.row(plain));
      for (int i = 1; i < clients.size(); i++) {
        rows.add(recorders.get(i).result(names.get(i)).row(plain));
      }
    } finally {
      clients.forEach(ClientRuntime::close);
      sdk.close();
      EchoServers.stop(server);
    }
  }

  private static CompletableFuture<BytesValue> rawFuture(Channel channel) {
    CompletableFuture<BytesValue> result = new CompletableFuture<>();
    Futures.addCallback(ClientCalls.futureUnaryCall(channel.newCall(ECHO, CallOptions.DEFAULT), PAYLOAD),
        new FutureCallback<>() {
          @Override
          public void onSuccess(BytesValue value) {
            result.complete(value);
          }

          @Override
          public void onFailure(Throwable t) {
            result.completeExceptionally(t);
          }
        }, MoreExecutors.directExecutor());
    return result;
  }

  /** Three replicas, one answering 20 ms late; 16 threads. */
  private void slowReplica() throws Exception {
    List<Server> servers = List.of(EchoServers.start(20), EchoServers.start(0), EchoServers.start(0));
    List<Server> healthy = List.of(EchoServers.start(0), EchoServers.start(0), EchoServers.start(0));
    try {
      Result allHealthy = courierBlocking("Courier LEAST_LOADED, 3 healthy replicas, 16 threads",
          healthy, BalancerKind.LEAST_LOADED);
      Server slow = servers.get(0);
      long before = EchoServers.calls(slow);
      Result leastLoaded = courierBlocking("Courier LEAST_LOADED, 1 of 3 slowed 20 ms, 16 thr",
          servers, BalancerKind.LEAST_LOADED);
      slowShare("Courier LEAST_LOADED", EchoServers.calls(slow) - before, leastLoaded);
      before = EchoServers.calls(slow);
      Result roundRobin = courierBlocking("Courier ROUND_ROBIN, 1 of 3 slowed 20 ms, 16 thr",
          servers, BalancerKind.ROUND_ROBIN);
      slowShare("Courier ROUND_ROBIN", EchoServers.calls(slow) - before, roundRobin);
      before = EchoServers.calls(slow);
      List<InetSocketAddress> addresses = servers.stream()
          .map(s -> new InetSocketAddress("127.0.0.1", s.getPort())).toList();
      ManagedChannel grpcRoundRobin = rawChannel(NettyChannelBuilder.forTarget(StaticResolverProvider.target(addresses)))
          .defaultLoadBalancingPolicy("round_robin").build();
      Result grpc;
      try {
        grpc = Load.blocking("grpc-java round_robin, 1 of 3 slowed 20 ms, 16 thr", 16, warmup, seconds,
            () -> ClientCalls.blockingUnaryCall(grpcRoundRobin, ECHO, CallOptions.DEFAULT, PAYLOAD));
      } finally {
        grpcRoundRobin.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      slowShare("grpc-java round_robin", EchoServers.calls(slow) - before, grpc);
      rows.add(allHealthy.row(null));
      rows.add(grpc.row(grpc));
      rows.add(roundRobin.row(grpc));
      rows.add(leastLoaded.row(grpc));
    } finally {
      servers.forEach(EchoServers::stop);
      healthy.forEach(EchoServers::stop);
    }
  }

  /** Notes which share of the calls (warm-up included) reached the slow replica. */
  private void slowShare(String name, long slowCalls, Result measured) {
    notes.add(String.format("- %s: %d calls reached the slow replica, %.2f%% of all calls in its scenario",
        name, slowCalls, 100.0 * slowCalls / (measured.calls() * (1 + warmup / seconds))));
  }

  private Result courierBlocking(String name, List<Server> servers, BalancerKind kind) throws Exception {
    try (ClientRuntime client = courier(servers.stream().map(ClientVsRawGrpc::endpoint).toList(), kind).build()) {
      return Load.blocking(name, 16, warmup, seconds, () -> client.blockingUnary(COURIER_ECHO, PAYLOAD));
    }
  }

  /** Three endpoints, two refusing connections; attempts per call with and without the budget. */
  private void refusingReplicas() throws Exception {
    Server server = EchoServers.start(0);
    List<Endpoint> endpoints = List.of(refusing(), refusing(), endpoint(server));
    try {
      rows.add(attempts("2 of 3 refusing, no health, budget 20%", endpoints, false, RetryBudget.defaults()));
      rows.add(attempts("2 of 3 refusing, no health, no budget", endpoints, false, RetryBudget.unlimited()));
      rows.add(attempts("2 of 3 refusing, passive health + budget (default)", endpoints, true,
          RetryBudget.defaults()));
    } finally {
      EchoServers.stop(server);
    }
  }

  private String attempts(String name, List<Endpoint> endpoints, boolean health, RetryBudget budget)
      throws Exception {
    LongAdder attempts = new LongAdder();
    ClientInterceptor counting = new ClientInterceptor() {
      @Override
      public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
          MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
        attempts.increment();
        return next.newCall(method, options);
      }
    };
    ClientBuilder<ClientRuntime> builder = courier(endpoints, BalancerKind.ROUND_ROBIN)
        .channelFactory(ChannelFactory.netty(b -> b.usePlaintext().intercept(counting)))
        .retryBudget(budget)
        .retry(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ZERO).maxBackoff(Duration.ZERO).build());
    if (!health) {
      builder.passiveHealth(new PassiveHealth(Integer.MAX_VALUE, Duration.ofMillis(1), Duration.ofMillis(1)));
    }
    try (ClientRuntime client = builder.build()) {
      Load.blocking(name, 16, 0, warmup, () -> client.blockingUnary(COURIER_ECHO, PAYLOAD));
      attempts.reset();
      Result r = Load.blocking(name, 16, 0, seconds / 2, () -> client.blockingUnary(COURIER_ECHO, PAYLOAD));
      Result withAttempts = new Result(r.name(), r.calls(), r.errors(), r.seconds(), r.p50Nanos(), r.p99Nanos(),
          attempts.sum() / (double) r.calls());
      return withAttempts.row(null);
    }
  }

  private static ClientBuilder<ClientRuntime> courier(List<Endpoint> endpoints, BalancerKind kind) {
    return ClientBuilder.<ClientRuntime>forService("bench.Echo", runtime -> runtime).endpoints(endpoints).balancer(kind);
  }

  private static Endpoint endpoint(Server server) {
    return Endpoint.of("127.0.0.1", server.getPort());
  }

  private static Endpoint refusing() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return Endpoint.of("127.0.0.1", socket.getLocalPort());
    }
  }
}
