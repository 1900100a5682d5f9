package dev.courier.bench.fault;

import dev.courier.bench.StaticResolverProvider;
import io.grpc.NameResolverRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

/**
 * The sick-replica scenarios of issues 7 and 14, Courier's client declaring only {@code
 * idempotent: true} beside a grpc-java {@code round_robin} channel with its own retries (see
 * {@link FaultClients}), over the same 3 loopback replicas, in one run: one replica 20 ms slow
 * ({@link SlowReplica}); one hung under a 200 ms deadline, Courier also with {@code hedge_after:
 * "p95"} ({@link HungReplica}); one killed with SIGKILL in its own JVM, idempotent and not ({@link
 * KilledReplica}); two of three failing every call ({@link FailingReplicas}); one down, then back
 * on the same port ({@link ReplicaBack}); a fresh replica JVM joining under load ({@link
 * FreshReplica}). Both clients get the same warm-up and load ({@link FaultSettings}). Executions
 * are counted on the servers. Prints a Markdown table and the issue's "done when" checks, each met
 * or not.
 *
 * <p>Arguments: {@code [seconds per measured run, default 5] [threads, default 16] [scenario
 * names: slow hung kill kill-once failing back fresh; default all; and {@code healthy}, run only
 * when named ({@link HealthyReplicas})]}. With the defaults a run takes about three minutes.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp "benchmarks/target/classes:benchmarks/target/lib/*" dev.courier.bench.fault.FaultComparison 5 16
 * </pre>
 */
public final class FaultComparison {
  private static final List<Scenario> ALL = List.of(new SlowReplica(), new HungReplica(), new KilledReplica(false),
      new KilledReplica(true), new FailingReplicas(), new ReplicaBack(), new FreshReplica());
  /** Run only when named. */
  private static final List<Scenario> OPTIONAL = List.of(new HealthyReplicas());

  private FaultComparison() {}

  public static void main(String[] args) throws Exception {
    FaultSettings settings = FaultSettings.fromArgs(args);
    List<String> chosen = args.length > 2 ? Arrays.asList(args).subList(2, args.length) : List.of();
    List<Scenario> known = new ArrayList<>(ALL);
    known.addAll(OPTIONAL);
    List<Scenario> scenarios = new ArrayList<>();
    for (Scenario s : known) {
      if (chosen.isEmpty() ? ALL.contains(s) : chosen.contains(s.name())) {
        scenarios.add(s);
      }
    }
    if (scenarios.size() < new HashSet<>(chosen).size()) {
      throw new IllegalArgumentException("scenarios: " + chosen + " (expected: some of "
          + known.stream().map(Scenario::name).toList() + ")");
    }
    NameResolverRegistry.getDefaultRegistry().register(new StaticResolverProvider());
    JvmWarmUp.run(settings);
    FaultReport report = new FaultReport();
    for (Scenario s : scenarios) {
      s.run(settings, report);
    }
    report.print(settings);
  }
}
