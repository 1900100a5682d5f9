package dev.courier.bench.fault;

import dev.courier.bench.fault.FaultClients.Client;
import dev.courier.runtime.fault.FaultReplica;

/** Two replicas of three answer every call with {@code UNAVAILABLE}. */
final class FailingReplicas implements Scenario {
  @Override
  public String name() {
    return "failing";
  }

  @Override
  public void run(FaultSettings settings, FaultReport report) throws Exception {
    for (int side = 0; side < 2; side++) {
      try (Replicas replicas = Replicas.start();
           Client client = FaultClients.either(side == 0, replicas.ports())) {
        TimedLoad.Call call = id -> client.call(FaultReplica.IDEMPOTENT, id, false);
        settings.warmUp(call);
        replicas.reset();
        replicas.r1.mode(FaultReplica.Mode.FAIL);
        replicas.sick.mode(FaultReplica.Mode.FAIL);
        TimedLoad.Result r = settings.measure("id-", call);
        double attempts = (double) replicas.executions() / r.calls();
        report.row("2 of 3 replicas failing every call (UNAVAILABLE)", side == 0 ? "Courier (defaults)"
            : "grpc-java round_robin", r, attempts, "");
        if (side == 0) {
          report.check("2 of 3 failing every call, Courier: failed calls (0) and attempts per call (<= 1.05)",
              String.format("%d and %.3f", r.failed(), attempts), r.failed() == 0 && attempts <= 1.05);
        }
      }
    }
  }
}
