package dev.courier.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.client.ClientBuilder;
import dev.courier.runtime.client.ClientRuntime;
import dev.courier.runtime.client.Replicas;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Deadline;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every live-configuration backend must show, run against each by a subclass: a real
 * backend (a file, a ZooKeeper server, Consul's KV answers) and real gRPC servers on loopback.
 * Time is watched through events (latches), never slept through: a version is seen in force when
 * a call carries its deadline.
 */
// "try": resources opened for their effect (a scope made current, a subscription or worker kept
// open for the block) are never named in the block, and some closes may be interrupted.
@SuppressWarnings("try")
@Timeout(60)
public abstract class LiveConfigContract {
  /** The echo method as a client declares it: not idempotent. */
  protected static final RpcMethod<StringValue, StringValue> ECHO = RpcMethod.of(Replicas.ECHO, MethodPolicy.DEFAULT);
  protected static final String KEY = "courier.test.Echo/Echo.timeout";

  /** One backend under test: where versions are written, and how it goes down and comes back. */
  public interface Backend extends AutoCloseable {
    ConfigSource source();

    /** Writes a whole version as properties text, as an operator would. */
    void write(String properties) throws Exception;

    /** Makes the backend unreachable (or its content unreadable). */
    void takeDown() throws Exception;

    /** Makes it reachable again, holding {@code properties}. */
    void bringBack(String properties) throws Exception;

    @Override
    void close() throws Exception;
  }

  protected abstract Backend backend() throws Exception;

  private Backend backend;
  private Replicas replicas;
  private LiveConfig live;
  private ClientRuntime client;
  private final BlockingQueue<ConfigEvent> events = new LinkedBlockingQueue<>();
  /** The deadline each attempt carried, as milliseconds left when it started. */
  private final BlockingQueue<Long> deadlines = new LinkedBlockingQueue<>();
  private final List<LogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Handler logHandler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      logged.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void start() throws Exception {
    Logger.getLogger(LiveConfig.class.getName()).addHandler(logHandler);
    replicas = Replicas.start(2);
    backend = backend();
    backend.write(KEY + "=10s\n");
    live = LiveConfig.follow(backend.source(), events::add);
    ConfigEvent first = next();
    assertThat(first).isInstanceOf(ConfigEvent.Applied.class);
    client = ClientBuilder.forService("test.Echo", r -> r)
        .endpoints(replicas.endpoints())
        .deadline(Duration.ofSeconds(20))
        .methods(ECHO)
        .interceptors(new DeadlineRecorder())
        .liveConfig(live)
        .build();
  }

  @AfterEach
  void stop() throws Exception {
    Logger.getLogger(LiveConfig.class.getName()).removeHandler(logHandler);
    if (client != null) {
      client.close();
    }
    if (live != null) {
      live.close();
    }
    backend.close();
    replicas.close();
  }

  @Test
  void aChangeAppliesUnderLoadWithNoFailedCalls() throws Exception {
    assertThat(deadlineOfOneCall()).isBetween(9_000L, 10_000L);
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    List<Thread> load = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread t = new Thread(() -> {
        while (running.get()) {
          try {
            client.blockingUnary(ECHO, StringValue.of("x"));
            calls.incrementAndGet();
          } catch (CourierException e) {
            failed.incrementAndGet();
          }
        }
      });
      t.start();
      load.add(t);
    }
    try {
      long writtenAt = System.nanoTime();
      backend.write(KEY + "=5s\n");
      ConfigEvent.Applied applied = (ConfigEvent.Applied) next();
      long appliedNanos = System.nanoTime() - writtenAt;
      assertThat(applied.changes()).containsExactly(new ConfigChange(KEY, "10s", "5s"));
      deadlines.clear();
      assertThat(awaitDeadlineAtMost(5_000L)).isGreaterThan(4_000L);
      assertThat(Duration.ofNanos(appliedNanos)).isLessThan(Duration.ofSeconds(1));
    } finally {
      running.set(false);
      for (Thread t : load) {
        t.join();
      }
    }
    assertThat(calls.get()).isPositive();
    assertThat(failed.get()).isZero();
  }

  @Test
  void aBadChangeIsRefusedWholeAndTheOldPolicyStays() throws Exception {
    backend.write(KEY + "=3s\n" + "courier.test.Echo/Echo.retry.retryableCodes=UNAVAILABLE\n");
    ConfigEvent.Refused refused = (ConfigEvent.Refused) next();
    assertThat(refused.problems()).singleElement().satisfies(p -> {
      assertThat(p.key()).isEqualTo("courier.test.Echo/Echo.retry.retryableCodes");
      assertThat(p.value()).isEqualTo("UNAVAILABLE");
      assertThat(p.reason()).contains("not idempotent");
    });
    assertThat(refused.inForce().values()).containsEntry(KEY, "10s");
    List<LogRecord> warnings = logged.stream()
        .filter(r -> r.getLevel() == Level.WARNING && r.getMessage().contains("refused")).toList();
    assertThat(warnings).hasSize(1);
    String line = java.text.MessageFormat.format(warnings.get(0).getMessage(), warnings.get(0).getParameters());
    assertThat(line).contains("courier.test.Echo/Echo.retry.retryableCodes=UNAVAILABLE", "not idempotent", "stays in force");
    assertThat(deadlineOfOneCall()).as("the valid key of the refused version did not apply either")
        .isBetween(9_000L, 10_000L);
    assertThat(live.current().values()).containsEntry(KEY, "10s");

    backend.write(KEY + "=3s\n");
    assertThat(next()).isInstanceOf(ConfigEvent.Applied.class);
    assertThat(deadlineOfOneCall()).isBetween(2_000L, 3_000L);
  }

  @Test
  void theBackendGoingDownKeepsTheLastGoodVersion() throws Exception {
    backend.takeDown();
    ConfigEvent down = nextOfType(ConfigEvent.Unavailable.class);
    assertThat(((ConfigEvent.Unavailable) down).inForce().values()).containsEntry(KEY, "10s");
    assertThat(deadlineOfOneCall()).isBetween(9_000L, 10_000L);

    backend.bringBack(KEY + "=4s\n");
    nextOfType(ConfigEvent.Applied.class);
    assertThat(deadlineOfOneCall()).isBetween(3_000L, 4_000L);
  }

  @Test
  void callsInFlightKeepThePolicyTheyStartedWith() throws Exception {
    replicas.get(0).hold();
    replicas.get(1).hold();
    CompletableFuture<StringValue> before = client.asyncUnary(ECHO, StringValue.of("before"));
    assertThat(nextDeadline()).isBetween(9_000L, 10_000L);

    backend.write(KEY + "=100ms\n");
    nextOfType(ConfigEvent.Applied.class);
    CompletableFuture<StringValue> after = client.asyncUnary(ECHO, StringValue.of("after"));
    assertThatThrownBy(after::get).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOfSatisfying(CourierException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    assertThat(before).as("started before the change, with 10 s: still running after the new 100 ms passed")
        .isNotDone();
    replicas.get(0).release();
    replicas.get(1).release();
    assertThat(before.get(10, TimeUnit.SECONDS).getValue()).startsWith("r");
  }

  @Test
  void removingTheKeyFallsBackToTheBuilder() throws Exception {
    backend.write("# nothing live\n");
    ConfigEvent.Applied applied = (ConfigEvent.Applied) nextOfType(ConfigEvent.Applied.class);
    assertThat(applied.changes()).containsExactly(new ConfigChange(KEY, "10s", null));
    assertThat(deadlineOfOneCall()).isBetween(19_000L, 20_000L);
  }

  protected ConfigEvent next() throws InterruptedException {
    ConfigEvent e = events.poll(20, TimeUnit.SECONDS);
    assertThat(e).as("a config event within 20 s").isNotNull();
    return e;
  }

  protected ConfigEvent nextOfType(Class<? extends ConfigEvent> type) throws InterruptedException {
    while (true) {
      ConfigEvent e = next();
      if (type.isInstance(e)) {
        return e;
      }
    }
  }

  private long deadlineOfOneCall() throws InterruptedException {
    deadlines.clear();
    client.blockingUnary(ECHO, StringValue.of("probe"));
    return nextDeadline();
  }

  private long nextDeadline() throws InterruptedException {
    Long d = deadlines.poll(20, TimeUnit.SECONDS);
    assertThat(d).as("an attempt within 20 s").isNotNull();
    return d;
  }

  private long awaitDeadlineAtMost(long millis) throws InterruptedException {
    while (true) {
      long d = nextDeadline();
      if (d <= millis) {
        return d;
      }
    }
  }

  /** Records the deadline each attempt carries, in milliseconds left. */
  private final class DeadlineRecorder implements ClientInterceptor {
    private final AtomicLong seen = new AtomicLong();

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
        MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
      Deadline deadline = options.getDeadline();
      seen.incrementAndGet();
      deadlines.add(deadline == null ? Long.MAX_VALUE : deadline.timeRemaining(TimeUnit.MILLISECONDS));
      return next.newCall(method, options);
    }
  }
}
