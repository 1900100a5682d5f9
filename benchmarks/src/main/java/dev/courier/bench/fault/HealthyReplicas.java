package dev.courier.bench.fault;

import dev.courier.bench.fault.FaultClients.Client;
import dev.courier.runtime.fault.FaultReplica;
import java.util.List;

/**
 * Three healthy replicas, no fault: what a call costs each client when nothing goes wrong. Beside
 * Courier's defaults and grpc-java, Courier with gRPC's own retry layer switched on again under
 * its own ({@link FaultClients#courierWithGrpcRetries}), which is what its channels had before
 * they switched it off. Two rounds, the three clients in turn in each, so that the machine's
 * drift falls on all three. Not in the default run: name it ({@code healthy}).
 */
final class HealthyReplicas implements Scenario {
  private static final int ROUNDS = 2;

  @Override
  public String name() {
    return "healthy";
  }

  @Override
  public void run(FaultSettings settings, FaultReport report) throws Exception {
    for (int round = 1; round <= ROUNDS; round++) {
      for (String side : List.of("Courier (defaults)", "Courier, gRPC's retries on", "grpc-java round_robin")) {
        try (Replicas replicas = Replicas.start(); Client client = client(side, replicas.ports())) {
          TimedLoad.Call call = id -> client.call(FaultReplica.IDEMPOTENT, id, false);
          settings.warmUp(call);
          replicas.reset();
          TimedLoad.Result r = settings.measure("id-", call);
          report.row("3 healthy replicas, round " + round, side, r, (double) replicas.executions() / r.calls(), "");
        }
      }
    }
  }

  private static Client client(String side, List<Integer> ports) {
    return switch (side) {
      case "Courier (defaults)" -> FaultClients.either(true, ports);
      case "Courier, gRPC's retries on" -> FaultClients.courierWithGrpcRetries(ports);
      default -> FaultClients.either(false, ports);
    };
  }
}
