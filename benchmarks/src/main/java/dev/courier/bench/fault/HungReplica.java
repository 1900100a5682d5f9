package dev.courier.bench.fault;

import dev.courier.bench.fault.FaultClients.Client;
import dev.courier.runtime.fault.FaultReplica;

/** One replica of three never answers; every call has a 200 ms deadline. */
final class HungReplica implements Scenario {
  private static final String[] NAMES = {"Courier (defaults)", "Courier, hedge_after \"p95\"", "grpc-java round_robin"};

  @Override
  public String name() {
    return "hung";
  }

  @Override
  public void run(FaultSettings settings, FaultReport report) throws Exception {
    TimedLoad.Result[] results = new TimedLoad.Result[3];
    for (int side = 0; side < 3; side++) {
      FailureClock clock = new FailureClock();
      try (Replicas replicas = Replicas.start();
           Client client = side == 2 ? FaultClients.grpc(replicas.ports()) : FaultClients.courier(replicas.ports(),
               side == 0 ? FaultClients.IDEMPOTENT : FaultClients.ADAPTIVE_HEDGE, clock)) {
        TimedLoad.Call call = id -> client.call(FaultReplica.IDEMPOTENT, id, true);
        settings.warmUp(call);
        replicas.sick.mode(FaultReplica.Mode.HANG);
        replicas.reset();
        clock.reset();
        TimedLoad.Result r = settings.measure("id-", call);
        results[side] = r;
        report.row("1 of 3 replicas hung, 200 ms deadline", NAMES[side], r, (double) replicas.executions() / r.calls(),
            "attempts on the hung replica " + replicas.sick.executions()
                + (side == 2 || r.failed() == 0 ? "" : "; the client failed them at p99 (max) " + clock.summary() + " ms"));
      }
    }
    double share = 100.0 * results[0].failed() / results[0].calls();
    report.check("one replica hung, Courier defaults: failed calls (<= 0.01%)",
        String.format("%d of %d, %.4f%%", results[0].failed(), results[0].calls(), share), share <= 0.01);
    report.check("one replica hung, Courier with hedge_after \"p95\": failed calls (0)",
        results[1].failed() + " of " + results[1].calls(), results[1].failed() == 0);
    double end = Math.max(nanToZero(results[0].failedP99Millis()), nanToZero(results[1].failedP99Millis()));
    report.check("one replica hung, Courier: failed calls end by (p99 <= 205 ms)",
        results[0].failed() + results[1].failed() == 0 ? "no failed call" : String.format("%.1f ms", end), end <= 205);
  }

  private static double nanToZero(double v) {
    return Double.isNaN(v) ? 0 : v;
  }
}
