package dev.courier.bench.fault;

import com.google.protobuf.StringValue;
import dev.courier.bench.StaticResolverProvider;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.client.ClientBuilder;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.fault.FaultReplica;
import dev.courier.runtime.fault.GrpcBaseline;
import dev.courier.runtime.fault.LoadRun;
import dev.courier.runtime.fault.ReplicaProcess;
import dev.courier.runtime.retry.HedgePolicy;
import dev.courier.runtime.retry.RetryPolicy;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.NameResolverRegistry;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The issue-7 fault scenarios, Courier's client beside a raw grpc-java channel ({@code
 * round_robin} over the same 3 loopback replicas, service-config {@code retryPolicy} with {@code
 * retryThrottling}, {@code enableRetry()}; the JSON is {@link GrpcBaseline}'s, which a test also
 * gives to Courier's {@code ClientBuilder.serviceConfig}), in one run. A killed replica is a {@link
 * FaultReplica} in its own JVM, killed with SIGKILL; the others run in this JVM. Attempts are
 * counted on the servers. Prints a Markdown table. Arguments: {@code [calls, default 10000]
 * [threads, default 16]}.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp "benchmarks/target/classes:benchmarks/target/lib/*" dev.courier.bench.fault.FaultComparison
 * </pre>
 */
public final class FaultComparison {
  private static final Duration DEADLINE = Duration.ofMillis(200);
  private static final RpcMethod<StringValue, StringValue> IDEMPOTENT =
      RpcMethod.of(FaultReplica.IDEMPOTENT, MethodPolicy.builder().idempotent(true).build());
  private static final RpcMethod<StringValue, StringValue> ONCE = RpcMethod.of(FaultReplica.ONCE, MethodPolicy.DEFAULT);
  /** The hanging-replica scenario: 200 ms for the call, 120 ms per attempt, a hedge after 50 ms. */
  private static final RpcMethod<StringValue, StringValue> IDEMPOTENT_200MS = RpcMethod.of(FaultReplica.IDEMPOTENT,
      MethodPolicy.builder().idempotent(true).timeout(DEADLINE)
          .retry(RetryPolicy.builder().perAttemptTimeout(Duration.ofMillis(120))
              .initialBackoff(Duration.ofMillis(5)).maxBackoff(Duration.ofMillis(20)).build())
          .hedge(new HedgePolicy(Duration.ofMillis(50), 1)).build());

  private final int calls;
  private final int threads;
  private final List<String> rows = new ArrayList<>();

  private FaultComparison(int calls, int threads) {
    this.calls = calls;
    this.threads = threads;
  }

  public static void main(String[] args) throws Exception {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    NameResolverRegistry.getDefaultRegistry().register(new StaticResolverProvider());
    FaultComparison bench = new FaultComparison(calls, threads);
    bench.kill(false);
    bench.kill(true);
    bench.twoFailing();
    bench.hanging();
    bench.restart();
    System.out.println();
    System.out.printf("Java %s, %d cores; %d calls on %d threads per scenario and client; loopback 127.0.0.1%n",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), calls, threads);
    System.out.println("| scenario | Courier failed | Courier attempts/call | Courier p99 ms | grpc-java failed "
        + "| grpc-java attempts/call | grpc-java p99 ms | notes (Courier; grpc-java) |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    bench.rows.forEach(System.out::println);
  }

  /** A client under test: one blocking call per request id. */
  private interface Client extends AutoCloseable {
    void call(MethodDescriptor<StringValue, StringValue> method, String id, boolean deadline);

    @Override
    void close();
  }

  private Client courier(List<Integer> ports, RpcMethod<StringValue, StringValue> idempotent) {
    ClientRuntime runtime = ClientBuilder.forService("fault.Echo", r -> r)
        .endpoints(ports.stream().map(p -> Endpoint.of("127.0.0.1", p)).toList()).build();
    return new Client() {
      @Override
      public void call(MethodDescriptor<StringValue, StringValue> method, String id, boolean deadline) {
        runtime.blockingUnary(method == FaultReplica.ONCE ? ONCE : idempotent, StringValue.of(id));
      }

      @Override
      public void close() {
        runtime.close();
      }
    };
  }

  private Client grpc(List<Integer> ports) {
    ManagedChannel channel = NettyChannelBuilder.forTarget(StaticResolverProvider.SCHEME + ":///" + String.join(",",
            ports.stream().map(p -> "127.0.0.1:" + p).toList()))
        .usePlaintext()
        .defaultServiceConfig(GrpcBaseline.serviceConfig())
        .enableRetry()
        .build();
    return new Client() {
      @Override
      public void call(MethodDescriptor<StringValue, StringValue> method, String id, boolean deadline) {
        CallOptions options = deadline
            ? CallOptions.DEFAULT.withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS) : CallOptions.DEFAULT;
        ClientCalls.blockingUnaryCall(channel, method, options, StringValue.of(id));
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

  /** One measured side of a row. */
  private record Side(LoadRun run, double attemptsPerCall, String note) {
    String cells() {
      return String.format("%d | %.3f | %.1f", run.failed(), attemptsPerCall, run.p99Millis());
    }
  }

  private void row(String scenario, Side courier, Side grpc) {
    String row = "| " + scenario + " | " + courier.cells() + " | " + grpc.cells() + " | " + courier.note() + "; "
        + grpc.note() + " |";
    System.out.println(row);
    rows.add(row);
  }

  private void kill(boolean once) throws Exception {
    MethodDescriptor<StringValue, StringValue> method = once ? FaultReplica.ONCE : FaultReplica.IDEMPOTENT;
    Side[] sides = new Side[2];
    for (int side = 0; side < 2; side++) {
      try (FaultReplica r0 = FaultReplica.start("r0");
           FaultReplica r1 = FaultReplica.start("r1");
           ReplicaProcess doomed = ReplicaProcess.start("r2");
           Client client = side == 0 ? courier(List.of(r0.port(), r1.port(), doomed.port()), IDEMPOTENT)
               : grpc(List.of(r0.port(), r1.port(), doomed.port()))) {
        LoadRun.run(300, threads, "warm-", id -> client.call(method, id, false));
        r0.resetCounts();
        r1.resetCounts();
        int before = doomed.executions();
        LoadRun run = LoadRun.run(calls, threads, "id-", id -> client.call(method, id, false), calls / 3, () -> {
          try {
            doomed.kill();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        doomed.drain();
        int executions = r0.executions() + r1.executions() + doomed.executions() - before;
        Map<String, Integer> total = new HashMap<>();
        for (Map<String, AtomicInteger> m : List.of(r0.perId(), r1.perId(), doomed.perId())) {
          m.forEach((id, n) -> total.merge(id, n.get(), Integer::sum));
        }
        long twice = total.entrySet().stream().filter(e -> e.getKey().startsWith("id-") && e.getValue() > 1).count();
        sides[side] = new Side(run, (double) executions / calls, "ran twice " + twice);
      }
    }
    row(once ? "1 of 3 killed (kill -9), not idempotent" : "1 of 3 killed (kill -9), idempotent", sides[0], sides[1]);
  }

  private void twoFailing() throws Exception {
    Side[] sides = new Side[2];
    for (int side = 0; side < 2; side++) {
      try (FaultReplica r0 = FaultReplica.start("r0");
           FaultReplica r1 = FaultReplica.start("r1");
           FaultReplica r2 = FaultReplica.start("r2");
           Client client = side == 0 ? courier(List.of(r0.port(), r1.port(), r2.port()), IDEMPOTENT)
               : grpc(List.of(r0.port(), r1.port(), r2.port()))) {
        LoadRun.run(300, threads, "warm-", id -> client.call(FaultReplica.IDEMPOTENT, id, false));
        List.of(r0, r1, r2).forEach(FaultReplica::resetCounts);
        r1.mode(FaultReplica.Mode.FAIL);
        r2.mode(FaultReplica.Mode.FAIL);
        LoadRun run = LoadRun.run(calls, threads, "id-", id -> client.call(FaultReplica.IDEMPOTENT, id, false));
        sides[side] = new Side(run, (double) (r0.executions() + r1.executions() + r2.executions()) / calls,
            String.format("%.0f calls/s", run.callsPerSecond()));
      }
    }
    row("2 of 3 failing every call (UNAVAILABLE)", sides[0], sides[1]);
  }

  private void hanging() throws Exception {
    Side[] sides = new Side[2];
    for (int side = 0; side < 2; side++) {
      try (FaultReplica r0 = FaultReplica.start("r0");
           FaultReplica r1 = FaultReplica.start("r1");
           FaultReplica hung = FaultReplica.start("r2");
           Client client = side == 0 ? courier(List.of(r0.port(), r1.port(), hung.port()), IDEMPOTENT_200MS)
               : grpc(List.of(r0.port(), r1.port(), hung.port()))) {
        LoadRun.run(300, threads, "warm-", id -> client.call(FaultReplica.IDEMPOTENT, id, true));
        List.of(r0, r1, hung).forEach(FaultReplica::resetCounts);
        hung.mode(FaultReplica.Mode.HANG);
        LoadRun run = LoadRun.run(calls, threads, "id-", id -> client.call(FaultReplica.IDEMPOTENT, id, true));
        sides[side] = new Side(run, (double) (r0.executions() + r1.executions() + hung.executions()) / calls,
            "on the hung replica " + hung.executions());
      }
    }
    row("1 of 3 hanging, 200 ms deadline", sides[0], sides[1]);
  }

  private void restart() throws Exception {
    Side[] sides = new Side[2];
    for (int side = 0; side < 2; side++) {
      try (FaultReplica r0 = FaultReplica.start("r0");
           FaultReplica r1 = FaultReplica.start("r1");
           FaultReplica back = FaultReplica.start("r2");
           Client client = side == 0 ? courier(List.of(r0.port(), r1.port(), back.port()), IDEMPOTENT)
               : grpc(List.of(r0.port(), r1.port(), back.port()))) {
        LoadRun.Call call = id -> client.call(FaultReplica.IDEMPOTENT, id, false);
        LoadRun.run(300, threads, "warm-", call);
        back.stop();
        LoadRun down = LoadRun.run(calls / 2, threads, "down-", call);
        back.restart();
        long restartedAt = System.nanoTime();
        double share = 0;
        int batch = 300;
        int failed = 0;
        for (int b = 0; share < 0.25 && System.nanoTime() - restartedAt < TimeUnit.SECONDS.toNanos(30); b++) {
          int before = back.executions();
          LoadRun up = LoadRun.run(batch, threads, "up" + b + "-", call);
          failed += up.failed();
          share = (double) (back.executions() - before) / batch;
        }
        double seconds = (System.nanoTime() - restartedAt) / 1e9;
        sides[side] = new Side(down, Double.NaN, String.format("share %.2f %.1f s after the restart, %d failed after it",
            share, seconds, failed));
      }
    }
    row("1 of 3 down, then restarted on the same port (calls while down)", sides[0], sides[1]);
  }
}
