package dev.courier.bench.fault;

import dev.courier.bench.fault.FaultClients.Client;
import dev.courier.runtime.fault.FaultReplica;

/** One replica of three answers 20 ms late. */
final class SlowReplica implements Scenario {
  @Override
  public String name() {
    return "slow";
  }

  @Override
  public void run(FaultSettings settings, FaultReport report) throws Exception {
    TimedLoad.Result[] results = new TimedLoad.Result[2];
    for (int side = 0; side < 2; side++) {
      try (Replicas replicas = Replicas.start();
           Client client = FaultClients.either(side == 0, replicas.ports())) {
        TimedLoad.Call call = id -> client.call(FaultReplica.IDEMPOTENT, id, false);
        settings.warmUp(call);
        replicas.sick.slow(20);
        replicas.reset();
        TimedLoad.Result r = settings.measure("id-", call);
        results[side] = r;
        report.row("1 of 3 replicas +20 ms", side == 0 ? "Courier (defaults)" : "grpc-java round_robin", r,
            (double) replicas.executions() / r.calls(),
            String.format("%.2f%% of calls on the slow replica", 100.0 * replicas.sick.executions() / r.calls()));
      }
    }
    double ratio = results[0].callsPerSecond() / results[1].callsPerSecond();
    report.check("one replica +20 ms, Courier's calls/s over grpc round_robin's (>= 5x)",
        String.format("%.1fx", ratio), ratio >= 5);
    report.check("one replica +20 ms, Courier's p99 (<= 3.5 ms)", String.format("%.2f ms", results[0].p99Millis()),
        results[0].p99Millis() <= 3.5);
  }
}
