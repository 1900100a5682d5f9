package dev.courier.bench.fault;

import dev.courier.runtime.fault.FaultReplica;
import java.util.ArrayList;
import java.util.List;

/** Three in-JVM replicas of a scenario, closed together; counts read on the servers. */
final class Replicas implements AutoCloseable {
  final FaultReplica r0;
  final FaultReplica r1;
  /** The one the scenario makes sick. */
  final FaultReplica sick;

  private Replicas() {
    r0 = FaultReplica.start("r0");
    FaultReplica second = null;
    FaultReplica third = null;
    try {
      second = FaultReplica.start("r1");
      third = FaultReplica.start("r2");
    } catch (RuntimeException e) {
      r0.close();
      if (second != null) {
        second.close();
      }
      throw e;
    }
    r1 = second;
    sick = third;
  }

  static Replicas start() {
    return new Replicas();
  }

  List<Integer> ports() {
    List<Integer> ports = new ArrayList<>();
    for (FaultReplica r : List.of(r0, r1, sick)) {
      ports.add(r.port());
    }
    return ports;
  }

  /** Executions on all three servers since the last {@link #reset}. */
  int executions() {
    return r0.executions() + r1.executions() + sick.executions();
  }

  void reset() {
    r0.resetCounts();
    r1.resetCounts();
    sick.resetCounts();
  }

  @Override
  public void close() {
    r0.close();
    r1.close();
    sick.close();
  }
}
