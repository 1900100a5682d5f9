package dev.courier.bench.fault;

import dev.courier.bench.fault.FaultClients.Client;
import dev.courier.runtime.fault.FaultReplica;
import java.time.Duration;

/**
 * Before any scenario, each client in turn drives three replicas for {@link
 * FaultSettings#jvmWarmUp()}: healthy without a deadline, healthy with one, then with one replica
 * hung under the deadline, so that the JVM has loaded and compiled both clients' code (and the
 * servers'), the code of a failing call included, before the first measured run. Otherwise the
 * first scenario's first client is measured while the JIT competes with it for the cores, and the
 * first calls that fail in the JVM pay for loading their code (some 20 ms on this machine) instead
 * of showing when the client failed them. Prints what each warm-up run reached, so a reader sees
 * that the two got the same.
 */
final class JvmWarmUp {
  private JvmWarmUp() {}

  static void run(FaultSettings settings) throws Exception {
    Duration part = settings.jvmWarmUp().dividedBy(3);
    for (int side = 0; side < 2; side++) {
      try (Replicas replicas = Replicas.start();
           Client client = FaultClients.either(side == 0, replicas.ports())) {
        String name = side == 0 ? "Courier" : "grpc-java";
        print(name, "healthy", TimedLoad.run(settings.threads(), part, "jvm-warm-",
            id -> client.call(FaultReplica.IDEMPOTENT, id, false)));
        print(name, "healthy, with a deadline", TimedLoad.run(settings.threads(), part, "jvm-warm-",
            id -> client.call(FaultReplica.IDEMPOTENT, id, true)));
        replicas.sick.mode(FaultReplica.Mode.HANG);
        print(name, "one replica hung, with a deadline", TimedLoad.run(settings.threads(), part, "jvm-warm-",
            id -> client.call(FaultReplica.IDEMPOTENT, id, true)));
      }
    }
  }

  private static void print(String client, String what, TimedLoad.Result r) {
    System.out.printf("JVM warm-up, %s, %s: %.0f calls/s, p99 %.2f ms, %d failed%n", client, what,
        r.callsPerSecond(), r.p99Millis(), r.failed());
  }
}
