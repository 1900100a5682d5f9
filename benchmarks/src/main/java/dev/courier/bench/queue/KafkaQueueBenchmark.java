package dev.courier.bench.queue;

import com.google.protobuf.StringValue;
import dev.courier.bench.Load;
import dev.courier.bench.Result;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.queue.QueueClientRuntime;
import dev.courier.runtime.queue.QueueStats;
import dev.courier.runtime.queue.QueueWorkerRuntime;
import dev.courier.runtime.queue.kafka.EmbeddedKafka;
import dev.courier.runtime.queue.kafka.KafkaQueue;
import dev.courier.runtime.queue.memory.InMemoryQueue;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * Queue-backed calls through Courier's {@link KafkaQueue} against a hand-written kafka-clients
 * request/reply loop ({@link RawKafkaEcho}) doing the same work with the very producer and
 * consumer properties the queue uses (read from it), on one embedded KRaft broker in this JVM, with
 * 1 and with 256 calls outstanding; and {@link InMemoryQueue} calls/s. For each side it prints the
 * bytes allocated per call in the whole JVM (broker included) during that side's measured rounds.
 *
 * <p>Run, after {@code mvn -B -q -pl benchmarks -am package -DskipTests}: {@code java -Xms1g -Xmx1g
 * -cp "benchmarks/target/classes:benchmarks/target/lib/*" dev.courier.bench.queue.KafkaQueueBenchmark}
 * (system properties {@code warmupMs}, default 15,000: each side's warm-up under load before the
 * Kafka scenarios, and the InMemoryQueue's per scenario; {@code measureMs}, default 10,000, per
 * scenario; {@code rounds}, default 10: how many rounds the measured time of each Kafka scenario is
 * split into, alternating raw and Courier; {@code outstanding}, default {@code 1,256}: the levels of
 * calls outstanding to measure, for a quicker run of one of them while working on it; {@code
 * threadCpu}, default false: also print each side's CPU time per call by thread, from {@link
 * ThreadCpu}; {@code inMemory=false} leaves out the {@code InMemoryQueue} scenarios).
 */
public final class KafkaQueueBenchmark {
  static final RpcMethod<StringValue, StringValue> ECHO = RpcMethod.of(
      MethodDescriptor.<StringValue, StringValue>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("bench.Echo/Echo")
          .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
          .build(),
      MethodPolicy.DEFAULT,
      req -> req.getValue().substring(0, req.getValue().indexOf(':')));
  private static final int PARTITIONS = 4;
  /** Time for each side to settle at a new number of calls outstanding. */
  private static final long LEVEL_WARMUP_MS = 2000;
  /** Time for a round's calls to reach a steady state before it is measured. */
  private static final long ROUND_WARMUP_MS = 500;

  private KafkaQueueBenchmark() {}

  public static void main(String[] args) throws Exception {
    long warmup = Long.getLong("warmupMs", 15_000);
    long measure = Long.getLong("measureMs", 10_000);
    int rounds = Integer.getInteger("rounds", 10);
    boolean threadCpu = Boolean.getBoolean("threadCpu");
    int[] levels = Arrays.stream(System.getProperty("outstanding", "1,256").split(","))
        .mapToInt(level -> Integer.parseInt(level.trim())).toArray();
    List<Row> rows = new ArrayList<>();
    ExecutorService reissue = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "bench-reissue");
      t.setDaemon(true);
      return t;
    });
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      String bootstrap = kafka.bootstrapServers();
      // Both set up before measuring, then measured back to back per level, so that load from
      // elsewhere on the machine hits both alike.
      try (KafkaQueue clientQueue = kafkaQueue(bootstrap, "client");
          KafkaQueue workerQueue = kafkaQueue(bootstrap, "worker");
          RawKafkaEcho raw = new RawKafkaEcho(clientQueue, bootstrap, PARTITIONS);
          QueueWorkerRuntime worker = QueueWorkerRuntime.builder(workerQueue)
              .handle(ECHO, req -> StringValue.of(req.getValue())).start();
          QueueClientRuntime client = QueueClientRuntime.create(clientQueue)) {
        System.out.println("settings of both sides: " + RawKafkaEcho.describe(clientQueue));
        raw.call("k0", request(0)).get(60, TimeUnit.SECONDS);
        client.call(ECHO, request(0)).get(60, TimeUnit.SECONDS);
        LongFunction<CompletableFuture<?>> rawCall = i -> raw.call("k" + (i % 64), request(i));
        LongFunction<CompletableFuture<?>> courierCall = i -> client.call(ECHO, request(i));
        // Warm both up under load: the JIT compiles broker and client code for 20 s or so, and
        // until it is done it takes much of a small machine's CPU from whichever side runs.
        LoadLoop.run(new Load.Recorder(), 256, warmup, 0, rawCall, reissue);
        LoadLoop.run(new Load.Recorder(), 256, warmup, 0, courierCall, reissue);
        for (int outstanding : levels) {
          // Alternate short rounds, in turn starting with either side, so that the machine's ups
          // and downs fall on both alike.
          LoadLoop.run(new Load.Recorder(), outstanding, LEVEL_WARMUP_MS, 0, rawCall, reissue);
          LoadLoop.run(new Load.Recorder(), outstanding, LEVEL_WARMUP_MS, 0, courierCall, reissue);
          Load.Recorder rawRecorder = new Load.Recorder();
          Load.Recorder courierRecorder = new Load.Recorder();
          double[] roundRatios = new double[rounds];
          long[] rawAlloc = new long[2];
          long[] courierAlloc = new long[2];
          Map<String, Long> rawCpu = new TreeMap<>();
          Map<String, Long> courierCpu = new TreeMap<>();
          for (int round = 0; round < rounds; round++) {
            boolean rawFirst = round % 2 == 0;
            LoadLoop.Window first = LoadLoop.run(rawFirst ? rawRecorder : courierRecorder, outstanding,
                ROUND_WARMUP_MS, measure / rounds, rawFirst ? rawCall : courierCall, reissue);
            LoadLoop.Window second = LoadLoop.run(rawFirst ? courierRecorder : rawRecorder, outstanding,
                ROUND_WARMUP_MS, measure / rounds, rawFirst ? courierCall : rawCall, reissue);
            LoadLoop.Window rawWindow = rawFirst ? first : second;
            LoadLoop.Window courierWindow = rawFirst ? second : first;
            roundRatios[round] = courierWindow.callsPerSecond() / rawWindow.callsPerSecond();
            add(rawAlloc, rawWindow);
            add(courierAlloc, courierWindow);
            ThreadCpu.add(rawCpu, rawWindow.cpuNanos());
            ThreadCpu.add(courierCpu, courierWindow.cpuNanos());
          }
          Result rawResult = rawRecorder.result("raw kafka-clients loop");
          if (threadCpu) {
            ThreadCpu.print(outstanding + " outstanding", rawCpu, rawAlloc[0], courierCpu, courierAlloc[0]);
          }
          double rawBytes = perCall(rawAlloc);
          rows.add(new Row(outstanding, rawResult, null, null, rawBytes, 0));
          rows.add(new Row(outstanding, courierRecorder.result("Courier KafkaQueue"), rawResult, roundRatios,
              perCall(courierAlloc), rawBytes));
        }
        if (threadCpu) {
          KafkaClientMetrics.print();
        }
        print("Courier KafkaQueue client", client.stats());
        print("Courier KafkaQueue worker", worker.stats());
      }
    }
    if (!"false".equals(System.getProperty("inMemory"))) {
      try (InMemoryQueue queue = InMemoryQueue.create();
          QueueWorkerRuntime worker = QueueWorkerRuntime.builder(queue)
              .handle(ECHO, req -> StringValue.of(req.getValue())).start();
          QueueClientRuntime client = QueueClientRuntime.create(queue)) {
        for (int outstanding : levels) {
          Load.Recorder recorder = new Load.Recorder();
          LoadLoop.run(recorder, outstanding, warmup, measure, i -> client.call(ECHO, request(i)), reissue);
          rows.add(new Row(outstanding, recorder.result("Courier InMemoryQueue"), null, null, Double.NaN, 0));
        }
        print("Courier InMemoryQueue worker", worker.stats());
      }
    }
    reissue.shutdown();
    table(rows, warmup, measure, rounds);
  }

  private static KafkaQueue kafkaQueue(String bootstrap, String clientId) {
    return KafkaQueue.builder().bootstrapServers(bootstrap).clientId(clientId)
        .topicPrefix("bench.").partitions(PARTITIONS).build();
  }

  private static StringValue request(long i) {
    return StringValue.of("k" + (i % 64) + ":payload-" + i);
  }

  private static void print(String what, QueueStats stats) {
    System.out.println(what + ": " + stats);
  }

  /**
   * One line of the table: a result and, for Courier on Kafka, the raw loop's at the same level and
   * Courier's ratio to raw in each pair of adjacent rounds.
   */
  private record Row(int outstanding, Result result, Result raw, double[] roundRatios, double bytesPerCall,
      double rawBytesPerCall) {}

  /** Adds a window's calls and allocated bytes to {@code totals} ({calls, bytes}). */
  private static void add(long[] totals, LoadLoop.Window window) {
    totals[0] += window.calls();
    totals[1] += window.allocatedBytes();
  }

  private static double perCall(long[] totals) {
    return totals[0] == 0 ? Double.NaN : (double) totals[1] / totals[0];
  }

  private static void table(List<Row> rows, long warmup, long measure, int rounds) {
    System.out.printf(Locale.ROOT, "%nwarm-up %d ms per side, measured %d ms per scenario (Kafka:"
        + " %d alternating rounds of raw and Courier), %d cores, max heap %d MB, %s %s%n%n",
        warmup, measure, rounds, Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20, System.getProperty("java.vm.name"), System.getProperty("java.version"));
    System.out.println("| scenario | outstanding | calls/s | p50 ms | p99 ms | errors | vs raw | per round: median (min-max)"
        + " | KB allocated per call (JVM, broker included) | allocation vs raw |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Row row : rows) {
      Result r = row.result();
      String ratio = row.raw() == null ? ""
          : String.format(Locale.ROOT, "%.2fx", r.callsPerSecond() / row.raw().callsPerSecond());
      String bytes = Double.isNaN(row.bytesPerCall()) ? "" : String.format(Locale.ROOT, "%.1f", row.bytesPerCall() / 1024);
      String bytesRatio = row.rawBytesPerCall() > 0
          ? String.format(Locale.ROOT, "%.2fx", row.bytesPerCall() / row.rawBytesPerCall()) : "";
      System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.2f | %.2f | %d | %s | %s | %s | %s |%n", r.name(),
          row.outstanding(), r.callsPerSecond(), r.p50Nanos() / 1e6, r.p99Nanos() / 1e6, r.errors(), ratio,
          spread(row.roundRatios()), bytes, bytesRatio);
    }
  }

  /** The median, lowest and highest of the per-round ratios, or nothing without them. */
  private static String spread(double[] ratios) {
    if (ratios == null) {
      return "";
    }
    double[] sorted = ratios.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return String.format(Locale.ROOT, "%.2fx (%.2f-%.2f)", median, sorted[0], sorted[n - 1]);
  }
}
