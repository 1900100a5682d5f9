package dev.courier.bench.fault;

/** One sick-replica scenario of the fault comparison: it measures both clients and adds rows and checks. */
interface Scenario {
  /** The name that selects it on the command line. */
  String name();

  void run(FaultSettings settings, FaultReport report) throws Exception;
}
