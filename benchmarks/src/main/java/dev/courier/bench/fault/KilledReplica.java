package dev.courier.bench.fault;

import dev.courier.bench.fault.FaultClients.Client;
import dev.courier.runtime.fault.FaultReplica;
import dev.courier.runtime.fault.ReplicaProcess;
import dev.courier.runtime.observe.CourierListener;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One replica of three, in its own JVM, is killed with SIGKILL a third into the run; the method
 * is idempotent or not ({@code once}). Calls executed twice are counted on the servers.
 */
final class KilledReplica implements Scenario {
  private final boolean once;

  KilledReplica(boolean once) {
    this.once = once;
  }

  @Override
  public String name() {
    return once ? "kill-once" : "kill";
  }

  @Override
  public void run(FaultSettings settings, FaultReport report) throws Exception {
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
        settings.warmUp(call);
        r0.resetCounts();
        r1.resetCounts();
        int before = doomed.executions();
        TimedLoad.Result r = TimedLoad.run(settings.threads(), settings.run(), "id-", call,
            settings.run().dividedBy(3), () -> {
              try {
                doomed.kill();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
        doomed.drain();
        long twice = executedTwice(List.of(r0.perId(), r1.perId(), doomed.perId()));
        double attempts = (double) (r0.executions() + r1.executions() + doomed.executions() - before) / r.calls();
        report.row(once ? "1 of 3 killed (kill -9), not idempotent" : "1 of 3 killed (kill -9), idempotent",
            side == 0 ? "Courier (defaults)" : "grpc-java round_robin", r, attempts, "executed twice " + twice);
        if (side == 0) {
          courier = r;
          courierTwice = twice;
        }
      }
    }
    if (!once) {
      report.check("kill -9 of one replica, Courier: failed calls and calls executed twice (0 and 0)",
          courier.failed() + " and " + courierTwice, courier.failed() == 0 && courierTwice == 0);
    } else {
      report.check("kill -9 of one replica, a method that is not idempotent, Courier: calls executed twice (0)",
          String.valueOf(courierTwice), courierTwice == 0);
    }
  }

  /** Measured request ids that ran more than once, over all replicas. */
  private static long executedTwice(List<Map<String, AtomicInteger>> perReplica) {
    Map<String, Integer> total = new HashMap<>();
    for (Map<String, AtomicInteger> m : perReplica) {
      m.forEach((id, n) -> total.merge(id, n.get(), Integer::sum));
    }
    return total.entrySet().stream().filter(e -> e.getKey().startsWith("id-") && e.getValue() > 1).count();
  }
}
