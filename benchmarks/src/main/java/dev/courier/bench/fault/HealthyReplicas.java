package dev.courier.bench.fault;

import dev.courier.bench.fault.FaultClients.Client;
import dev.courier.runtime.fault.FaultReplica;
import java.util.List;
import java.util.function.Function;

/**
 * Three healthy replicas, no fault: what a call costs each client when nothing goes wrong. Beside
 * Courier's defaults and grpc-java, Courier with gRPC's own retry layer switched on again under
 * its own ({@link FaultClients#courierWithGrpcRetries}), which is what its channels had before
 * they switched it off. Two rounds, the three clients in turn in each, so that the machine's
 * drift falls on all three. Not in the default run: name it ({@code healthy}).
 */
final class HealthyReplicas implements Scenario {
  private static final int ROUNDS = 2;

  /** A client of the comparison: its row's name, and how it is made over the replicas' ports. */
  private record Side(String name, Function<List<Integer>, Client> make) {}

  private static final List<Side> SIDES = List.of(
      new Side("Courier (defaults)", ports -> FaultClients.either(true, ports)),
      new Side("Courier, gRPC's retries on", FaultClients::courierWithGrpcRetries),
      new Side("grpc-java round_robin", ports -> FaultClients.either(false, ports)));

  @Override
  public String name() {
    return "healthy";
  }

  @Override
  public void run(FaultSettings settings, FaultReport report) throws Exception {
    for (int round = 1; round <= ROUNDS; round++) {
      for (Side side : SIDES) {
        try (Replicas replicas = Replicas.start(); Client client = side.make().apply(replicas.ports())) {
          TimedLoad.Call call = id -> client.call(FaultReplica.IDEMPOTENT, id, false);
          settings.warmUp(call);
          replicas.reset();
          TimedLoad.Result r = settings.measure("id-", call);
          report.row("3 healthy replicas, round " + round, side.name(), r, (double) replicas.executions() / r.calls(), "");
        }
      }
    }
  }
}
