package dev.courier.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.courier.runtime.RpcMethod;
import dev.courier.runtime.config.ConfigEvent;
import dev.courier.runtime.config.LiveConfig;
import dev.courier.runtime.config.MutableConfigSource;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A real server following live {@code maxConcurrency}: calls held in the handler fill the slots. */
@Timeout(60)
class LiveConcurrencyTest {
  private static final String KEY = "courier.test.Svc/Call.maxConcurrency";
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final Semaphore blocking = new Semaphore(0);
  private final LinkedBlockingQueue<ConfigEvent> events = new LinkedBlockingQueue<>();

  @AfterEach
  void closeAll() throws Exception {
    release.countDown();
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private StringValue handle(StringValue request) throws InterruptedException {
    if (request.getValue().equals("block")) {
      blocking.release();
      release.await(30, TimeUnit.SECONDS);
    }
    return request;
  }

  @Test
  void theLimitChangesWhileTheServerRunsAndARemovedKeyGivesTheDeclaredOneBack() throws Exception {
    RpcMethod<StringValue, StringValue> method = TestServices.call(0); // no declared limit
    MutableConfigSource source = new MutableConfigSource(Map.of(KEY, "1"));
    LiveConfig live = LiveConfig.follow(source, events::add);
    assertThat(events.take()).as("the first version").isInstanceOf(ConfigEvent.Applied.class);
    CourierServer server = CourierServer.builder().addService(TestServices.service(method, this::handle))
        .liveConfig(live).address("127.0.0.1", 0).gracePeriod(Duration.ZERO).start();
    toClose.add(server);
    ManagedChannel channel = TestServices.plaintextChannel(server);
    toClose.add(() -> TestServices.close(channel));

    block(channel, method, 1);
    assertThat(code(channel, method)).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

    source.push(Map.of(KEY, "2"));
    assertThat(events.take()).isInstanceOf(ConfigEvent.Applied.class);
    block(channel, method, 1);
    assertThat(code(channel, method)).as("2 running, limit 2").isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

    source.push(Map.of());
    assertThat(events.take()).isInstanceOf(ConfigEvent.Applied.class);
    assertThat(code(channel, method)).as("no live key: the declared none").isEqualTo(Status.Code.OK);
  }

  @Test
  void aLimitBelowZeroIsRefusedAndTheOldOneStays() throws Exception {
    RpcMethod<StringValue, StringValue> method = TestServices.call(0);
    MutableConfigSource source = new MutableConfigSource(Map.of(KEY, "1"));
    LiveConfig live = LiveConfig.follow(source, events::add);
    assertThat(events.take()).as("the first version").isInstanceOf(ConfigEvent.Applied.class);
    CourierServer server = CourierServer.builder().addService(TestServices.service(method, this::handle))
        .liveConfig(live).address("127.0.0.1", 0).gracePeriod(Duration.ZERO).start();
    toClose.add(server);
    ManagedChannel channel = TestServices.plaintextChannel(server);
    toClose.add(() -> TestServices.close(channel));

    source.push(Map.of(KEY, "-3"));
    ConfigEvent.Refused refused = (ConfigEvent.Refused) events.take();
    assertThat(refused.problems()).singleElement().satisfies(p -> {
      assertThat(p.key()).isEqualTo(KEY);
      assertThat(p.value()).isEqualTo("-3");
    });
    block(channel, method, 1);
    assertThat(code(channel, method)).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
  }

  @Test
  void aStoppedServerNoLongerFollowsNorVetoesAVersion() throws Exception {
    MutableConfigSource source = new MutableConfigSource(Map.of(KEY, "1"));
    LiveConfig live = LiveConfig.follow(source, events::add);
    assertThat(events.take()).as("the first version").isInstanceOf(ConfigEvent.Applied.class);
    CourierServer server = CourierServer.builder().addService(TestServices.service(TestServices.call(0), this::handle))
        .liveConfig(live).address("127.0.0.1", 0).gracePeriod(Duration.ZERO).start();
    assertThat(live.followers()).isEqualTo(1);
    server.close();
    assertThat(live.followers()).as("detached on stop").isZero();
    // a limit for a method the server does not have: the server would refuse it, were it still attached
    source.push(Map.of("courier.test.Svc/Cal.maxConcurrency", "1"));
    assertThat(events.take()).isInstanceOf(ConfigEvent.Applied.class);
  }

  @Test
  void aServerThatFailsToStartDoesNotStayAttached() throws Exception {
    LiveConfig live = LiveConfig.follow(new MutableConfigSource(Map.of(KEY, "1")));
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> CourierServer.builder().addService(TestServices.service(TestServices.call(0), this::handle))
          .liveConfig(live).address("127.0.0.1", taken.getLocalPort()).start())
          .hasMessageContaining("cannot listen");
    }
    assertThat(live.followers()).isZero();
  }

  @Test
  void aServerDoesNotStartWhenTheVersionInForceNamesAMethodItDoesNotHave() {
    LiveConfig live = LiveConfig.follow(new MutableConfigSource(Map.of("courier.test.Svc/Cal.maxConcurrency", "1")));
    assertThatThrownBy(() -> CourierServer.builder().addService(TestServices.service(TestServices.call(0), this::handle))
        .liveConfig(live).address("127.0.0.1", 0).start())
        .hasMessageContaining("courier.test.Svc/Cal").hasMessageContaining("no method Cal in test.Svc");
  }

  private List<Future<StringValue>> block(ManagedChannel channel, RpcMethod<StringValue, StringValue> method, int calls)
      throws InterruptedException {
    List<Future<StringValue>> blocked = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      blocked.add(ClientCalls.futureUnaryCall(channel.newCall(method.descriptor(), CallOptions.DEFAULT),
          StringValue.of("block")));
    }
    assertThat(blocking.tryAcquire(calls, 10, TimeUnit.SECONDS)).isTrue();
    return blocked;
  }

  private static Status.Code code(ManagedChannel channel, RpcMethod<StringValue, StringValue> method) {
    try {
      ClientCalls.blockingUnaryCall(channel, method.descriptor(),
          CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), StringValue.of("quick"));
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }
}
