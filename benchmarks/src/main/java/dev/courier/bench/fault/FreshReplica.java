package dev.courier.bench.fault;

import dev.courier.bench.fault.FaultClients.Client;
import dev.courier.runtime.discovery.Endpoint;
import dev.courier.runtime.discovery.MutableEndpointSource;
import dev.courier.runtime.fault.FaultReplica;
import dev.courier.runtime.fault.ReplicaProcess;
import dev.courier.runtime.observe.CourierListener;
import java.time.Duration;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Two replica JVMs serve; under load a third, fresh JVM joins through the endpoint source (Courier
 * only: the grpc channel's resolver is static). When does it take a third of the calls?
 */
final class FreshReplica implements Scenario {
  private static final Duration JOIN_AFTER = Duration.ofMillis(500);
  private static final int SHARE_WINDOW_MILLIS = 500;
  private static final long WITHIN_NANOS = 3_000_000_000L;

  @Override
  public String name() {
    return "fresh";
  }

  @Override
  public void run(FaultSettings settings, FaultReport report) throws Exception {
    try (ReplicaProcess r0 = ReplicaProcess.start("r0");
         ReplicaProcess r1 = ReplicaProcess.start("r1")) {
      MutableEndpointSource source = new MutableEndpointSource(
          List.of(Endpoint.of("127.0.0.1", r0.port()), Endpoint.of("127.0.0.1", r1.port())));
      try (Client client = FaultClients.courier(source, FaultClients.IDEMPOTENT, CourierListener.NONE)) {
        TimedLoad.Call call = id -> client.call(FaultReplica.IDEMPOTENT, id, false);
        settings.warmUp(call);
        ReplicaProcess[] fresh = new ReplicaProcess[1];
        long[] joinedAt = new long[1];
        IntSupplier freshCount = () -> fresh[0] == null ? 0 : fresh[0].executions();
        try (Shares shares = new Shares(freshCount, List.of(r0::executions, r1::executions, freshCount))) {
          TimedLoad.Result r = TimedLoad.run(settings.threads(), settings.run().plusSeconds(3), "id-", call,
              JOIN_AFTER, () -> {
                try {
                  fresh[0] = ReplicaProcess.start("fresh");
                  joinedAt[0] = System.nanoTime();
                  source.set(List.of(Endpoint.of("127.0.0.1", r0.port()), Endpoint.of("127.0.0.1", r1.port()),
                      Endpoint.of("127.0.0.1", fresh[0].port())));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
          shares.stop();
          long third = shares.reachedShareAt(joinedAt[0], 0.30, SHARE_WINDOW_MILLIS);
          List<Double> perStep = shares.sharesAfter(joinedAt[0], SHARE_WINDOW_MILLIS,
              2 * (int) settings.run().toSeconds() + 4);
          String thirdText = third < 0 ? "not reached" : String.format("%.1f s", (third - joinedAt[0]) / 1e9);
          report.row("a fresh replica JVM joins under load (2 replica JVMs before)", "Courier (defaults)", r,
              Double.NaN, "a third of the calls (500 ms window) " + thirdText + " after it joined; its share per 500 ms, %: "
                  + FaultReport.percents(perStep));
          report.check("a fresh replica JVM joining under load, Courier: a third of the calls within a few seconds (<= 3 s)",
              thirdText, third >= 0 && third - joinedAt[0] <= WITHIN_NANOS);
        } finally {
          if (fresh[0] != null) {
            fresh[0].close();
          }
        }
      }
    }
  }
}
