package dev.courier.bench.balance;

import dev.courier.runtime.balance.Balancer;
import dev.courier.runtime.balance.BalancerKind;
import dev.courier.runtime.balance.Node;
import dev.courier.runtime.discovery.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one {@link Balancer#pick} per balancer and endpoint count, with every endpoint
 * eligible except one in ten (as if ejected), and a different hash key on every call.
 *
 * <pre>
 * java -cp "benchmarks/target/classes:benchmarks/target/lib/*" org.openjdk.jmh.Main BalancerPickBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class BalancerPickBenchmark {
  @Param({"RANDOM", "ROUND_ROBIN", "WEIGHTED_RANDOM", "CONSISTENT_HASH", "LEAST_LOADED"})
  public BalancerKind kind;

  @Param({"3", "10", "100", "1000"})
  public int endpoints;

  private Balancer balancer;
  private List<BenchNode> nodes;
  private final String[] keys = new String[1024];
  private int next;
  private final Predicate<BenchNode> eligible = n -> !n.ejected;

  @Setup(Level.Trial)
  public void setUp() {
    SplittableRandom random = new SplittableRandom(7);
    List<BenchNode> list = new ArrayList<>();
    for (int i = 0; i < endpoints; i++) {
      BenchNode node = new BenchNode(new Endpoint("10.0." + (i / 250) + "." + (i % 250 + 1), 8080,
          1 + random.nextInt(5), Map.of()));
      node.inFlight = random.nextInt(20);
      node.latencyNanos = 200_000 + random.nextInt(2_000_000);
      node.ejected = endpoints >= 10 && i % 10 == 3;
      list.add(node);
    }
    nodes = List.copyOf(list);
    for (int i = 0; i < keys.length; i++) {
      keys[i] = "customer-" + random.nextInt(1_000_000);
    }
    balancer = Balancer.of(kind);
    balancer.pick(nodes, eligible, keys[0]);
  }

  @Benchmark
  public Node pick() {
    String key = keys[next++ & (keys.length - 1)];
    return balancer.pick(nodes, eligible, key);
  }

  /** A node with fixed load. */
  static final class BenchNode implements Node {
    private final Endpoint endpoint;
    int inFlight;
    long latencyNanos;
    boolean ejected;

    BenchNode(Endpoint endpoint) {
      this.endpoint = endpoint;
    }

    @Override
    public Endpoint endpoint() {
      return endpoint;
    }

    @Override
    public int inFlight() {
      return inFlight;
    }

    @Override
    public long latencyNanos() {
      return latencyNanos;
    }
  }
}
