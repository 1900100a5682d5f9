package dev.courier.bench.fault;

import dev.courier.bench.fault.FaultClients.Client;
import dev.courier.runtime.client.PassiveHealth;
import dev.courier.runtime.fault.FaultReplica;
import dev.courier.runtime.observe.CourierListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One replica stops serving (connections reset) for 2 s under load, then serves again on the same
 * port: when its first call comes (Courier: the probe, after the ejection interval in force), and
 * when it is back at a third of the calls (over 200 ms).
 */
final class ReplicaBack implements Scenario {
  private static final Duration DOWN = Duration.ofSeconds(2);
  private static final Duration UP = Duration.ofSeconds(4);
  private static final int SHARE_WINDOW_MILLIS = 200;

  @Override
  public String name() {
    return "back";
  }

  @Override
  public void run(FaultSettings settings, FaultReport report) throws Exception {
    PassiveHealth health = PassiveHealth.DEFAULT;
    for (int side = 0; side < 2; side++) {
      AtomicLong lastEjectionEnd = new AtomicLong();
      CourierListener ejections = new CourierListener() {
        @Override
        public void onEjection(String endpoint, long nanos) {
          lastEjectionEnd.set(System.nanoTime() + nanos);
        }
      };
      try (Replicas replicas = Replicas.start();
           Client client = side == 0 ? FaultClients.courier(replicas.ports(), FaultClients.IDEMPOTENT, ejections)
               : FaultClients.grpc(replicas.ports())) {
        FaultReplica back = replicas.sick;
        TimedLoad.Call call = id -> client.call(FaultReplica.IDEMPOTENT, id, false);
        settings.warmUp(call);
        String authority = "127.0.0.1:" + back.port();
        back.stop();
        long attemptsBefore = client.attemptsByEndpoint().getOrDefault(authority, 0L);
        TimedLoad.Result down = TimedLoad.run(settings.threads(), DOWN, "down-", call);
        long attemptsWhileDown = client.attemptsByEndpoint().getOrDefault(authority, 0L) - attemptsBefore;
        back.restart();
        long restartedAt = System.nanoTime();
        long probeDue = Math.max(lastEjectionEnd.get(), restartedAt);
        TimedLoad.Result up;
        long firstCall;
        long third;
        List<Double> ramp;
        try (Shares shares = new Shares(back::executions,
            List.of(replicas.r0::executions, replicas.r1::executions, back::executions))) {
          up = TimedLoad.run(settings.threads(), UP, "up-", call);
          shares.stop();
          firstCall = shares.firstCallAt(restartedAt);
          third = shares.reachedShareAt(restartedAt, 0.30, SHARE_WINDOW_MILLIS);
          ramp = firstCall < 0 ? List.of() : shares.sharesAfter(firstCall - Shares.STEP_MILLIS * 1_000_000L, 100, 15);
        }
        String firstMs = firstCall < 0 ? "never" : String.format("%.0f ms", (firstCall - restartedAt) / 1e6);
        String thirdMs = third < 0 ? "not within 4 s" : String.format("%.0f ms", (third - restartedAt) / 1e6);
        String note = String.format("while down: %s; back: first call after %s, a third of the calls (200 ms window)"
                + " after %s; its share per 100 ms from its first call, %%: %s; %d failed after it was back",
            side == 0 ? attemptsWhileDown + " attempts to it (probes and the first failures)" : "-", firstMs, thirdMs,
            FaultReport.percents(ramp), up.failed());
        report.row("1 of 3 down 2 s, then back on the same port (the calls while down)", side == 0
            ? "Courier (defaults)" : "grpc-java round_robin", down, Double.NaN, note);
        if (side == 0) {
          double probeLate = (firstCall - probeDue) / 1e6;
          double rampMs = (third - firstCall) / 1e6;
          double window = health.slowStart().toMillis() + SHARE_WINDOW_MILLIS + Shares.STEP_MILLIS;
          report.check("a replica back after an outage, Courier: first call (the probe) when the ejection in force ends"
                  + " (within 100 ms of it, at 50 ms sampling) and a third of the calls within slowStart + the 200 ms window",
              firstCall < 0 ? "no call within 4 s" : third < 0
                  ? String.format("probe %.0f ms after the ejection ended, a third not within 4 s", probeLate)
                  : String.format("probe %.0f ms after the ejection ended, a third %.0f ms after the probe (window %.0f ms)",
                      probeLate, rampMs, window),
              firstCall >= 0 && third >= 0 && probeLate <= 100 && rampMs <= window);
        }
      }
    }
  }
}
