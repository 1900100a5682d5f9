package dev.courier.bench.fault;

import dev.courier.bench.StaticResolverProvider;
import dev.courier.bench.fault.FaultClients.Client;
import dev.courier.runtime.client.PassiveHealth;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.discovery.MutableEndpointSource;
import dev.courier.runtime.fault.FaultReplica;
import dev.courier.runtime.fault.ReplicaProcess;
import dev.courier.runtime.observe.CourierListener;
import io.grpc.NameResolverRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * The sick-replica scenarios of issues 7 and 14, Courier's client declaring only {@code
 * idempotent: true} beside a grpc-java {@code round_robin} channel with its own retries (see
 * {@link FaultClients}), over the same 3 loopback replicas, in one run: one replica 20 ms slow;
 * one hung under a 200 ms deadline (Courier also with {@code hedge_after: "p95"}); one killed
 * with SIGKILL (a replica in its own JVM), idempotent and not; two of three failing every call;
 * one down, then back on the same port; a fresh replica JVM joining under load (Courier only: the
 * grpc channel's resolver is static). Executions are counted on the servers. Prints a Markdown
 * table and the issue's "done when" checks, each met or not.
 *
 * <p>Arguments: {@code [seconds per measured run, default 5] [threads, default 16]}. With the
 * defaults a run takes about two minutes.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp "benchmarks/target/classes:benchmarks/target/lib/*" dev.courier.bench.fault.FaultComparison 5 16
 * </pre>
 */
// "try": resources opened for their effect (a scope made current, a subscription or worker kept
// open for the block) are never named in the block, and some closes may be interrupted.
@SuppressWarnings("try")
public final class FaultComparison {
  private static final Duration WARM_UP = Duration.ofSeconds(1);

  private final Duration run;
  private final int threads;
  private final List<String> rows = new ArrayList<>();
  private final List<String> checks = new ArrayList<>();

  private FaultComparison(Duration run, int threads) {
    this.run = run;
    this.threads = threads;
  }

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    NameResolverRegistry.getDefaultRegistry().register(new StaticResolverProvider());
    FaultComparison bench = new FaultComparison(Duration.ofSeconds(seconds), threads);
    bench.slow();
    bench.hung();
    bench.kill(false);
    bench.kill(true);
    bench.twoFailing();
    bench.restart();
    bench.join();
    System.out.println();
    System.out.printf("Java %s, %d cores, %s; %d s per measured run, %d threads; loopback 127.0.0.1%n",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"),
        seconds, threads);
    System.out.println("| scenario | client | calls/s | calls | failed | attempts/call | p99 ms | failed calls end, p99 (max) ms | notes |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---|");
    bench.rows.forEach(System.out::println);
    System.out.println();
    bench.checks.forEach(System.out::println);
  }

  private void row(String scenario, String client, TimedLoad.Result r, double attemptsPerCall, String note) {
    String failedEnd = r.failed() == 0 ? "" : String.format("%.1f (%.1f)", r.failedP99Millis(), r.failedMaxMillis());
    String row = String.format("| %s | %s | %.0f | %d | %d | %s | %.2f | %s | %s |", scenario, client,
        r.callsPerSecond(), r.calls(), r.failed(), Double.isNaN(attemptsPerCall) ? "" : String.format("%.3f", attemptsPerCall),
        r.p99Millis(), failedEnd, note);
    System.out.println(row + (r.failures().isEmpty() ? "" : "  failures: " + r.failures()));
    rows.add(row);
  }

  private void check(String what, String value, boolean met) {
    String line = "- " + what + ": " + value + " — " + (met ? "met" : "NOT met");
    System.out.println(line);
    checks.add(line);
  }

  private static List<Integer> ports(FaultReplica... replicas) {
    List<Integer> ports = new ArrayList<>();
    for (FaultReplica r : replicas) {
      ports.add(r.port());
    }
    return ports;
  }

  private static int executions(FaultReplica... replicas) {
    int n = 0;
    for (FaultReplica r : replicas) {
      n += r.executions();
    }
    return n;
  }

  private static void reset(FaultReplica... replicas) {
    for (FaultReplica r : replicas) {
      r.resetCounts();
    }
  }

  /** One replica answers 20 ms late. */
  private void slow() throws Exception {
    TimedLoad.Result[] results = new TimedLoad.Result[2];
    for (int side = 0; side < 2; side++) {
      try (FaultReplica r0 = FaultReplica.start("r0");
           FaultReplica r1 = FaultReplica.start("r1");
           FaultReplica slow = FaultReplica.start("r2");
           Client client = side == 0 ? FaultClients.courier(ports(r0, r1, slow), FaultClients.IDEMPOTENT,
               CourierListener.NONE) : FaultClients.grpc(ports(r0, r1, slow))) {
        TimedLoad.Call call = id -> client.call(FaultReplica.IDEMPOTENT, id, false);
        TimedLoad.run(threads, WARM_UP, "warm-", call);
        slow.slow(20);
        reset(r0, r1, slow);
        TimedLoad.Result r = TimedLoad.run(threads, run, "id-", call);
        results[side] = r;
        row("1 of 3 replicas +20 ms", side == 0 ? "Courier (defaults)" : "grpc-java round_robin", r,
            (double) executions(r0, r1, slow) / r.calls(),
            String.format("%.2f%% of calls on the slow replica", 100.0 * slow.executions() / r.calls()));
      }
    }
    double ratio = results[0].callsPerSecond() / results[1].callsPerSecond();
    check("one replica +20 ms, Courier's calls/s over grpc round_robin's (>= 5x)", String.format("%.1fx", ratio),
        ratio >= 5);
    check("one replica +20 ms, Courier's p99 (<= 3.5 ms)", String.format("%.2f ms", results[0].p99Millis()),
        results[0].p99Millis() <= 3.5);
  }

  /** One replica never answers; every call has a 200 ms deadline. */
  private void hung() throws Exception {
    String[] names = {"Courier (defaults)", "Courier, hedge_after \"p95\"", "grpc-java round_robin"};
    TimedLoad.Result[] results = new TimedLoad.Result[3];
    for (int side = 0; side < 3; side++) {
      try (FaultReplica r0 = FaultReplica.start("r0");
           FaultReplica r1 = FaultReplica.start("r1");
           FaultReplica hung = FaultReplica.start("r2");
           Client client = side == 2 ? FaultClients.grpc(ports(r0, r1, hung)) : FaultClients.courier(
               ports(r0, r1, hung), side == 0 ? FaultClients.IDEMPOTENT : FaultClients.ADAPTIVE_HEDGE,
               CourierListener.NONE)) {
        TimedLoad.Call call = id -> client.call(FaultReplica.IDEMPOTENT, id, true);
        TimedLoad.run(threads, WARM_UP, "warm-", call);
        hung.mode(FaultReplica.Mode.HANG);
        reset(r0, r1, hung);
        TimedLoad.Result r = TimedLoad.run(threads, run, "id-", call);
        results[side] = r;
        row("1 of 3 replicas hung, 200 ms deadline", names[side], r, (double) executions(r0, r1, hung) / r.calls(),
            "attempts on the hung replica " + hung.executions());
      }
    }
    double share = 100.0 * results[0].failed() / results[0].calls();
    check("one replica hung, Courier defaults: failed calls (<= 0.01%)",
        String.format("%d of %d, %.4f%%", results[0].failed(), results[0].calls(), share), share <= 0.01);
    check("one replica hung, Courier with hedge_after \"p95\": failed calls (0)",
        results[1].failed() + " of " + results[1].calls(), results[1].failed() == 0);
    double end = Math.max(nanToZero(results[0].failedP99Millis()), nanToZero(results[1].failedP99Millis()));
    check("one replica hung, Courier: failed calls end by (p99 <= 205 ms)",
        results[0].failed() + results[1].failed() == 0 ? "no failed call" : String.format("%.1f ms", end), end <= 205);
  }

  private static double nanToZero(double v) {
    return Double.isNaN(v) ? 0 : v;
  }

  /** One replica, in its own JVM, is killed with SIGKILL a third into the run. */
  private void kill(boolean once) throws Exception {
    TimedLoad.Result courier = null;
    long courierTwice = -1;
    for (int side = 0; side < 2; side++) {
      try (FaultReplica r0 = FaultReplica.start("r0");
           FaultReplica r1 = FaultReplica.start("r1");
           ReplicaProcess doomed = ReplicaProcess.start("r2");
           Client client = side == 0 ? FaultClients.courier(List.of(r0.port(), r1.port(), doomed.port()),
               FaultClients.IDEMPOTENT, CourierListener.NONE)
               : FaultClients.grpc(List.of(r0.port(), r1.port(), doomed.port()))) {
        var method = once ? FaultReplica.ONCE : FaultReplica.IDEMPOTENT;
        TimedLoad.Call call = id -> client.call(method, id, false);
        TimedLoad.run(threads, WARM_UP, "warm-", call);
        reset(r0, r1);
        int before = doomed.executions();
        TimedLoad.Result r = TimedLoad.run(threads, run, "id-", call, run.dividedBy(3), () -> {
          try {
            doomed.kill();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        doomed.drain();
        Map<String, Integer> total = new HashMap<>();
        for (Map<String, AtomicInteger> m : List.of(r0.perId(), r1.perId(), doomed.perId())) {
          m.forEach((id, n) -> total.merge(id, n.get(), Integer::sum));
        }
        long twice = total.entrySet().stream().filter(e -> e.getKey().startsWith("id-") && e.getValue() > 1).count();
        double attempts = (double) (executions(r0, r1) + doomed.executions() - before) / r.calls();
        row(once ? "1 of 3 killed (kill -9), not idempotent" : "1 of 3 killed (kill -9), idempotent",
            side == 0 ? "Courier (defaults)" : "grpc-java round_robin", r, attempts, "executed twice " + twice);
        if (side == 0) {
          courier = r;
          courierTwice = twice;
        }
      }
    }
    if (!once) {
      check("kill -9 of one replica, Courier: failed calls and calls executed twice (0 and 0)",
          courier.failed() + " and " + courierTwice, courier.failed() == 0 && courierTwice == 0);
    } else {
      check("kill -9 of one replica, a method that is not idempotent, Courier: calls executed twice (0)",
          String.valueOf(courierTwice), courierTwice == 0);
    }
  }

  /** Two of three replicas answer every call with UNAVAILABLE. */
  private void twoFailing() throws Exception {
    for (int side = 0; side < 2; side++) {
      try (FaultReplica r0 = FaultReplica.start("r0");
           FaultReplica r1 = FaultReplica.start("r1");
           FaultReplica r2 = FaultReplica.start("r2");
           Client client = side == 0 ? FaultClients.courier(ports(r0, r1, r2), FaultClients.IDEMPOTENT,
               CourierListener.NONE) : FaultClients.grpc(ports(r0, r1, r2))) {
        TimedLoad.Call call = id -> client.call(FaultReplica.IDEMPOTENT, id, false);
        TimedLoad.run(threads, WARM_UP, "warm-", call);
        reset(r0, r1, r2);
        r1.mode(FaultReplica.Mode.FAIL);
        r2.mode(FaultReplica.Mode.FAIL);
        TimedLoad.Result r = TimedLoad.run(threads, run, "id-", call);
        double attempts = (double) executions(r0, r1, r2) / r.calls();
        row("2 of 3 replicas failing every call (UNAVAILABLE)", side == 0 ? "Courier (defaults)"
            : "grpc-java round_robin", r, attempts, "");
        if (side == 0) {
          check("2 of 3 failing every call, Courier: failed calls (0) and attempts per call (<= 1.05)",
              String.format("%d and %.3f", r.failed(), attempts), r.failed() == 0 && attempts <= 1.05);
        }
      }
    }
  }

  /**
   * One replica stops serving (connections reset) for 2 s under load, then serves again on the
   * same port: when its first call comes (Courier: the probe, after the ejection interval in force),
   * and when it is back at a third of the calls (over 200 ms).
   */
  private void restart() throws Exception {
    PassiveHealth health = PassiveHealth.DEFAULT;
    for (int side = 0; side < 2; side++) {
      AtomicLong lastEjectionEnd = new AtomicLong();
      CourierListener ejections = new CourierListener() {
        @Override
        public void onEjection(String endpoint, long nanos) {
          lastEjectionEnd.set(System.nanoTime() + nanos);
        }
      };
      try (FaultReplica r0 = FaultReplica.start("r0");
           FaultReplica r1 = FaultReplica.start("r1");
           FaultReplica back = FaultReplica.start("r2");
           Client client = side == 0 ? FaultClients.courier(ports(r0, r1, back), FaultClients.IDEMPOTENT, ejections)
               : FaultClients.grpc(ports(r0, r1, back))) {
        TimedLoad.Call call = id -> client.call(FaultReplica.IDEMPOTENT, id, false);
        TimedLoad.run(threads, WARM_UP, "warm-", call);
        String authority = "127.0.0.1:" + back.port();
        back.stop();
        long attemptsBefore = client.attemptsByEndpoint().getOrDefault(authority, 0L);
        TimedLoad.Result down = TimedLoad.run(threads, Duration.ofSeconds(2), "down-", call);
        long attemptsWhileDown = client.attemptsByEndpoint().getOrDefault(authority, 0L) - attemptsBefore;
        back.restart();
        long restartedAt = System.nanoTime();
        long probeDue = Math.max(lastEjectionEnd.get(), restartedAt);
        TimedLoad.Result up;
        long firstCall;
        long third;
        List<Double> ramp;
        try (Shares shares = new Shares(back::executions, List.of(r0::executions, r1::executions, back::executions))) {
          up = TimedLoad.run(threads, Duration.ofSeconds(4), "up-", call);
          shares.close();
          firstCall = shares.firstCallAt(restartedAt);
          third = shares.reachedShareAt(restartedAt, 0.30, 200);
          ramp = firstCall < 0 ? List.of() : shares.sharesAfter(firstCall - Shares.STEP_MILLIS * 1_000_000L, 100, 12);
        }
        String firstMs = firstCall < 0 ? "never" : String.format("%.0f ms", (firstCall - restartedAt) / 1e6);
        String thirdMs = third < 0 ? "not within 4 s" : String.format("%.0f ms", (third - restartedAt) / 1e6);
        StringBuilder rampText = new StringBuilder();
        for (double s : ramp) {
          rampText.append(rampText.length() == 0 ? "" : " ").append(Math.round(s * 100));
        }
        String note = String.format("while down: %s; back: first call after %s, a third of the calls (200 ms window)"
                + " after %s; its share per 100 ms from its first call, %%: %s; %d failed after it was back",
            side == 0 ? attemptsWhileDown + " attempts to it (probes and the first failures)" : "-", firstMs, thirdMs,
            rampText, up.failed());
        row("1 of 3 down 2 s, then back on the same port (the calls while down)", side == 0 ? "Courier (defaults)"
            : "grpc-java round_robin", down, Double.NaN, note);
        if (side == 0) {
          double probeLate = (firstCall - probeDue) / 1e6;
          double rampMs = (third - firstCall) / 1e6;
          double window = health.slowStart().toMillis() + 200 + Shares.STEP_MILLIS;
          check("a replica back after an outage, Courier: first call (the probe) when the ejection in force ends"
                  + " (within 100 ms of it, at 50 ms sampling) and a third of the calls within slowStart + the 200 ms window",
              firstCall < 0 || third < 0 ? "first call " + firstMs + ", a third " + thirdMs
                  : String.format("probe %.0f ms after the ejection ended, a third %.0f ms after the probe (window %.0f ms)",
                      probeLate, rampMs, window),
              firstCall >= 0 && third >= 0 && probeLate <= 100 && rampMs <= window);
        }
      }
    }
  }

  /** Two replica JVMs serve; under load a third, fresh JVM joins through the endpoint source. */
  private void join() throws Exception {
    try (ReplicaProcess r0 = ReplicaProcess.start("r0");
         ReplicaProcess r1 = ReplicaProcess.start("r1")) {
      MutableEndpointSource source = new MutableEndpointSource(
          List.of(Endpoint.of("127.0.0.1", r0.port()), Endpoint.of("127.0.0.1", r1.port())));
      try (Client client = FaultClients.courier(source, FaultClients.IDEMPOTENT, CourierListener.NONE)) {
        TimedLoad.Call call = id -> client.call(FaultReplica.IDEMPOTENT, id, false);
        TimedLoad.run(threads, WARM_UP, "warm-", call);
        ReplicaProcess[] fresh = new ReplicaProcess[1];
        long[] joinedAt = new long[1];
        IntSupplier freshCount = () -> fresh[0] == null ? 0 : fresh[0].executions();
        try (Shares shares = new Shares(freshCount, List.of(r0::executions, r1::executions, freshCount))) {
          TimedLoad.Result r = TimedLoad.run(threads, run.plusSeconds(3), "id-", call, Duration.ofMillis(500), () -> {
            try {
              fresh[0] = ReplicaProcess.start("fresh");
              joinedAt[0] = System.nanoTime();
              source.set(List.of(Endpoint.of("127.0.0.1", r0.port()), Endpoint.of("127.0.0.1", r1.port()),
                  Endpoint.of("127.0.0.1", fresh[0].port())));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
          shares.close();
          long third = shares.reachedShareAt(joinedAt[0], 0.30, 500);
          List<Double> perSecond = shares.sharesAfter(joinedAt[0], 500, 2 * (int) run.toSeconds() + 4);
          StringBuilder text = new StringBuilder();
          for (double s : perSecond) {
            text.append(text.length() == 0 ? "" : " ").append(Math.round(s * 100));
          }
          String thirdText = third < 0 ? "not reached" : String.format("%.1f s", (third - joinedAt[0]) / 1e9);
          row("a fresh replica JVM joins under load (2 replica JVMs before)", "Courier (defaults)", r, Double.NaN,
              "a third of the calls (500 ms window) " + thirdText + " after it joined; its share per 500 ms, %: " + text);
          check("a fresh replica JVM joining under load, Courier: a third of the calls within a few seconds (<= 3 s)",
              thirdText, third >= 0 && third - joinedAt[0] <= 3_000_000_000L);
        } finally {
          if (fresh[0] != null) {
            fresh[0].close();
          }
        }
      }
    }
  }
}
