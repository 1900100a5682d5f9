package dev.courier.runtime.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.StringValue;
import dev.courier.runtime.MethodPolicy;
import dev.courier.runtime.RpcMethod;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * A hostile client against a real server over real sockets, with a raw HTTP/2 client that keeps
 * no limits of its own ({@link RawHttp2Client}): 1,000 streams on one connection, a connection
 * that sends the preface and then nothing, a silent TCP connection, abusive pings, rapid resets.
 * After each, ordinary clients still get every call answered. The thread count and RSS are
 * measured and printed ({@code SERVER-UNDER-ATTACK ...} lines in the test output).
 */
class ServerUnderAttackTest {
  private static final RpcMethod<StringValue, StringValue> CALL = TestServices.call(0);
  private static final RpcMethod<StringValue, StringValue> HOLD = RpcMethod.of(
      MethodDescriptor.<StringValue, StringValue>newBuilder()
          .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
          .setFullMethodName("test.Hold/Hold")
          .setRequestMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
          .setResponseMarshaller(ProtoUtils.marshaller(StringValue.getDefaultInstance()))
          .build(),
      MethodPolicy.DEFAULT);
  private static final int GRPC_RESOURCE_EXHAUSTED = 8;
  private static final long REFUSED_STREAM = 0x7;
  private static final long ENHANCE_YOUR_CALM = 0xB;
  private static final long PROTOCOL_ERROR = 0x1;
  /** Ordinary calls after each case. */
  private static final int SUSTAINED = 1000;
  /**
   * Threads a case may leave besides the call executor's pool (which idles out after 60 s): grpc's
   * event loops and client executor for the 8 callers of the ordinary calls. A thread per stream
   * or call would be far more.
   */
  private static final int THREADS_LEFT = 30;
  /** RSS growth allowed per case, MiB: heap and metadata of a JVM that is still warming up. */
  private static final long RSS_GROWTH_MIB = 128;
  /** How long after GOAWAY too_many_rststreams the connection must be closed. */
  private static final Duration CLOSE_BOUND = Duration.ofSeconds(30);

  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger mostRunning = new AtomicInteger();
  private final AtomicInteger executions = new AtomicInteger();
  private CountDownLatch release = new CountDownLatch(0);
  private CountDownLatch started = new CountDownLatch(0);
  private CourierServer server;
  private CallExecutor callExecutor;

  @AfterEach
  void stop() {
    release.countDown();
    if (server != null) {
      server.shutdownNow();
    }
  }

  private CourierServer start(ServerLimits limits, CallExecutor calls) {
    callExecutor = calls;
    server = CourierServer.builder().address("127.0.0.1", 0).gracePeriod(Duration.ZERO)
        .limits(limits)
        .callExecutor(calls)
        .addService(TestServices.service(CALL, request -> {
          executions.incrementAndGet();
          int now = running.incrementAndGet();
          mostRunning.accumulateAndGet(now, Math::max);
          try {
            if (request.getValue().equals("block")) {
              started.countDown();
              release.await();
            }
            return request;
          } finally {
            running.decrementAndGet();
          }
        }))
        .addService(ServerServiceDefinition.builder("test.Hold")
            .addMethod(ServiceBindings.bidiStreaming(HOLD, this::hold)).build())
        .start();
    return server;
  }

  /** A blocking implementation: holds its call thread until released, then answers at the client's half-close. */
  private StreamObserver<StringValue> hold(StreamObserver<StringValue> responses) throws InterruptedException {
    executions.incrementAndGet();
    int now = running.incrementAndGet();
    mostRunning.accumulateAndGet(now, Math::max);
    try {
      started.countDown();
      release.await();
    } finally {
      running.decrementAndGet();
    }
    return new StreamObserver<>() {
      @Override
      public void onNext(StringValue value) {}

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        responses.onNext(StringValue.of("held"));
        responses.onCompleted();
      }
    };
  }

  @Test
  @Tag("slow")
  void thousandStreamsOnOneConnectionStayWithinTheLimitsAndTheRefusedOnesAreAnsweredAtOnce() throws Exception {
    thousandStreamsOnOneConnection(CallExecutor.platformThreads(100));
  }

  @Test
  @Tag("slow")
  @EnabledForJreRange(min = JRE.JAVA_21)
  void thousandStreamsOnVirtualThreadsStartNoPlatformThreadPerCall() throws Exception {
    thousandStreamsOnOneConnection(CallExecutor.virtualThreads(100));
  }

  private void thousandStreamsOnOneConnection(CallExecutor calls) throws Exception {
    int maxCalls = calls.maxCalls();
    int streams = 1000;
    start(ServerLimits.DEFAULT, calls);
    ResourceUsage before = ResourceUsage.resetPeakAndMeasure();
    assertServing(50); // the call path warm, so that the attack is not also the first use
    started = new CountDownLatch(maxCalls);
    release = new CountDownLatch(1);

    try (LogCapture log = new LogCapture(); RawHttp2Client attacker = RawHttp2Client.connect(server.port(), true)) {
      assertThat(attacker.serverSettings().get(5, TimeUnit.SECONDS).maxConcurrentStreams())
          .isEqualTo((long) ServerLimits.DEFAULT.maxConcurrentCallsPerConnection());
      List<Integer> ids = new ArrayList<>();
      CountDownLatch refusedOrAnswered = new CountDownLatch(streams - maxCalls);
      for (int i = 0; i < streams; i++) {
        // HEADERS only: the method starts at once (a bidi call needs no message to start) and
        // blocks its thread. DATA on a stream the server refused would cost the attacker its
        // connection (see aClientThatSendsOnRefusedStreamsLosesItsConnectionNotTheServer).
        int id = attacker.newStream();
        attacker.headers(id, RawHttp2Client.grpcHeaders("test.Hold/Hold"), false);
        attacker.answer(id).whenComplete((answer, error) -> refusedOrAnswered.countDown());
        ids.add(id);
      }
      attacker.flush();

      // Every call beyond the bounds is answered while the admitted ones still block: at once.
      assertThat(started.await(10, TimeUnit.SECONDS)).as("calls started").isTrue();
      assertThat(refusedOrAnswered.await(10, TimeUnit.SECONDS)).as("refusals answered").isTrue();
      ResourceUsage during = ResourceUsage.now();
      int resourceExhausted = 0;
      int refusedStreams = 0;
      for (int id : ids) {
        var answer = attacker.answer(id);
        if (!answer.isDone()) {
          continue; // one of the calls that run
        }
        RawHttp2Client.Answer a = answer.get();
        if (a.resetCode() != null && a.resetCode() == REFUSED_STREAM) {
          refusedStreams++;
        } else {
          assertThat(a.grpcStatus()).as("stream %d: %s", id, a).isEqualTo(GRPC_RESOURCE_EXHAUSTED);
          assertThat(a.grpcMessage()).contains("maxCalls: " + maxCalls);
          resourceExhausted++;
        }
      }
      assertThat(running.get()).isEqualTo(maxCalls);
      assertThat(mostRunning.get()).isEqualTo(maxCalls);
      assertThat(resourceExhausted + refusedStreams).isEqualTo(streams - maxCalls);
      assertThat(resourceExhausted).isGreaterThanOrEqualTo(ServerLimits.DEFAULT.maxConcurrentCallsPerConnection() - maxCalls);

      assertThat(attacker.isOpen()).isTrue();

      release.countDown();
      for (int id : ids) {
        if (!attacker.answer(id).isDone()) {
          attacker.data(id, new byte[0], true); // half-close: the held calls answer
        }
      }
      attacker.flush();
      int ran = 0;
      for (int id : ids) {
        RawHttp2Client.Answer a = attacker.answer(id).get(10, TimeUnit.SECONDS);
        if (a.grpcStatus() == 0) {
          ran++;
        }
      }
      assertThat(ran).isEqualTo(maxCalls);
      assertThat(executions.get()).isEqualTo(50 + maxCalls);

      int sustained = assertServing(2000);
      ResourceUsage after = ResourceUsage.now();
      List<LogRecord> lines = log.lines();
      ResourceUsage.print("1,000 streams on one connection, " + calls, before, after, String.format(
          "threads with %d calls blocked %d, courier-call threads %d; RSS then %d MiB; %d RESOURCE_EXHAUSTED and %d"
              + " REFUSED_STREAM before any call finished; %d log lines %s, %d with a stack trace; %d calls"
              + " afterwards, all OK", maxCalls, during.threads(), during.callThreads(), during.rssMiB(),
          resourceExhausted, refusedStreams, lines.size(), LogCapture.summary(lines), log.withStackTraces().size(),
          sustained));
      // One line at most per refused call (grpc-java's "Stream Error" per REFUSED_STREAM, condensed)
      assertThat(lines.size()).as("log lines").isLessThanOrEqualTo(streams - maxCalls);
      assertThat(log.withStackTraces()).isEmpty();
      if (calls.virtual()) { // virtual threads are not platform threads: the JVM's count stays flat
        assertThat(during.threads() - before.threads()).as("platform threads for %d blocked calls", maxCalls)
            .isLessThanOrEqualTo(20);
      } else {
        assertThat(during.callThreads()).as("call threads for %d blocked calls", maxCalls).isEqualTo(maxCalls);
      }
      assertThat(after.peakThreads() - before.threads()).as("threads started in all").isLessThanOrEqualTo(maxCalls + 20);
      assertRssGrowthBounded(before, after);
    }
  }

  @Test
  void aClientThatSendsOnRefusedStreamsLosesItsConnectionNotTheServer() throws Exception {
    start(ServerLimits.DEFAULT.withMaxConcurrentCallsPerConnection(10), CallExecutor.platformThreads(100));
    release = new CountDownLatch(1);

    attack("DATA on refused streams", 20, () -> {
      try (RawHttp2Client attacker = RawHttp2Client.connect(server.port(), true)) {
        attacker.serverSettings().get(5, TimeUnit.SECONDS);
        for (int i = 0; i < 20; i++) {
          attacker.unary("test.Svc/Call", StringValue.of("block").toByteArray());
        }
        attacker.flush();

        RawHttp2Client.GoAway goAway = attacker.goAway().get(10, TimeUnit.SECONDS);
        assertThat(goAway.errorCode()).isEqualTo(PROTOCOL_ERROR);
        assertThat(goAway.debugData()).contains("does not exist for inbound frame DATA");
        attacker.closed().get(10, TimeUnit.SECONDS);
      }
      assertThat(mostRunning.get()).isLessThanOrEqualTo(10);
      release.countDown();
    });
  }

  @Test
  void aConnectionThatSentOnlyThePrefaceIsClosedAfterTheIdleTimeout() throws Exception {
    start(ServerLimits.DEFAULT.withIdleTimeout(Duration.ofMillis(300)), CallExecutor.platformThreads(10));

    attack("a connection silent after the preface", 0, () -> {
      try (RawHttp2Client silent = RawHttp2Client.connect(server.port(), true)) {
        silent.serverSettings().get(5, TimeUnit.SECONDS);

        silent.closed().get(10, TimeUnit.SECONDS);
        RawHttp2Client.GoAway goAway = silent.goAway().get(1, TimeUnit.SECONDS);
        assertThat(goAway.errorCode()).isZero(); // NO_ERROR: the client did nothing wrong, it just left
        assertThat(goAway.debugData()).isEqualTo("max_idle");
      }
    });
  }

  @Test
  void aSilentTcpConnectionIsClosedAfterTheHandshakeTimeout() throws Exception {
    start(ServerLimits.DEFAULT.withHandshakeTimeout(Duration.ofMillis(300)), CallExecutor.platformThreads(10));

    attack("a silent TCP connection", 0, () -> {
      try (RawHttp2Client silent = RawHttp2Client.tcp(server.port())) {
        silent.closed().get(10, TimeUnit.SECONDS);
        // grpc says goodbye with GOAWAY NO_ERROR, though the client never spoke HTTP/2
        assertThat(silent.goAway().get(1, TimeUnit.SECONDS).errorCode()).isZero();
      }
    });
  }

  @Test
  void abusivePingsGetGoAwayEnhanceYourCalm() throws Exception {
    start(ServerLimits.DEFAULT, CallExecutor.platformThreads(10));

    attack("abusive pings", 1, () -> {
      try (RawHttp2Client pinger = RawHttp2Client.connect(server.port(), true)) {
        pinger.serverSettings().get(5, TimeUnit.SECONDS);
        // grpc-java allows two pings too soon and refuses the third. Exactly three, in one flush:
        // a client that writes on after the refusal may lose the GOAWAY (see the rapid-reset case).
        for (int i = 0; i < 3; i++) {
          pinger.ping(i);
        }
        pinger.flush();

        RawHttp2Client.GoAway goAway = awaitGoAway(pinger, "three pings");
        assertThat(goAway.errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
        assertThat(goAway.debugData()).isEqualTo("too_many_pings");
        pinger.closed().get(10, TimeUnit.SECONDS);
        assertThat(pinger.failure()).as("closed with a FIN, not a reset").isNull();
      }
    });
  }

  @Test
  void rapidResetsGetGoAwayEnhanceYourCalmAndTheConnectionIsClosed() throws Exception {
    int maxResets = 50;
    start(ServerLimits.DEFAULT.withMaxResets(maxResets, Duration.ofSeconds(10)), CallExecutor.platformThreads(10));

    attack("rapid resets", maxResets + 1, () -> {
      try (RawHttp2Client resetter = RawHttp2Client.connect(server.port(), true)) {
        resetter.serverSettings().get(5, TimeUnit.SECONDS);
        // One more reset than allowed, all in one flush, and then nothing: the client must not
        // write on after the server's limit. If it does, the server closes its socket with those
        // bytes unread, so its TCP stack answers with a reset instead of a FIN, and the client's
        // kernel may drop the GOAWAY before the client reads it (seen as "no GOAWAY" or a
        // "Connection reset" in earlier runs of a loop that wrote until it saw the GOAWAY).
        for (int i = 0; i <= maxResets; i++) {
          int id = resetter.newStream();
          resetter.headers(id, RawHttp2Client.grpcHeaders("test.Svc/Call"), false);
          resetter.reset(id, 0x8); // CANCEL
        }
        resetter.flush();

        RawHttp2Client.GoAway goAway = awaitGoAway(resetter, "the resets");
        assertThat(goAway.errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
        assertThat(goAway.debugData()).isEqualTo("too_many_rststreams");
        // grpc-java closes the connection as soon as the GOAWAY is written (a hard shutdown, no
        // grace for the streams still open): a connection still open CLOSE_BOUND later is held.
        long goAwayAt = System.nanoTime();
        try {
          resetter.closed().get(CLOSE_BOUND.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          throw new AssertionError("the connection is still open " + CLOSE_BOUND + " after GOAWAY too_many_rststreams ("
              + resetter.state() + ", " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - goAwayAt) + " ms)", e);
        }
        assertThat(resetter.failure()).as("closed with a FIN, not a reset").isNull();
      }
    });
  }

  /** The server's GOAWAY within 10 s of {@code after}; the failure says what the connection saw. */
  private static RawHttp2Client.GoAway awaitGoAway(RawHttp2Client client, String after) throws Exception {
    try {
      return client.goAway().get(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no GOAWAY 10 s after " + after + ": " + client.state(), e);
    }
  }

  /** One hostile client's attack; it asserts what the server answers. */
  @FunctionalInterface
  private interface Attack {
    void run() throws Exception;
  }

  /**
   * Runs {@code attack} with the log captured and the threads and RSS measured before it and after
   * the {@value #SUSTAINED} ordinary calls that follow it; prints the case's {@code
   * SERVER-UNDER-ATTACK} line and asserts what every case holds: every ordinary call afterwards
   * succeeds, at most {@code maxLines} log lines (one per refused stream or call at most), none
   * with a stack trace, and the threads and RSS back within bounds.
   */
  private void attack(String name, int maxLines, Attack attack) throws Exception {
    ResourceUsage before = ResourceUsage.resetPeakAndMeasure();
    List<LogRecord> lines;
    int stackTraces;
    try (LogCapture log = new LogCapture()) {
      attack.run();
      lines = log.lines();
      stackTraces = log.withStackTraces().size();
    }
    int sustained = assertServing(SUSTAINED);
    ResourceUsage after = ResourceUsage.now();
    ResourceUsage.print(name, before, after, String.format("%d log lines %s, %d with a stack trace; %d calls afterwards,"
        + " all OK", lines.size(), LogCapture.summary(lines), stackTraces, sustained));
    assertThat(stackTraces).as("records with a stack trace").isZero();
    assertThat(lines.size()).as("log lines: %s", LogCapture.summary(lines)).isLessThanOrEqualTo(maxLines);
    // A pool of platform threads starts a thread per call until it holds maxCalls: those stay (for 60 s)
    int poolThreads = callExecutor.virtual() ? 0 : callExecutor.maxCalls();
    assertThat(after.threads() - before.threads()).as("threads left after %s", name)
        .isLessThanOrEqualTo(poolThreads + THREADS_LEFT);
    assertRssGrowthBounded(before, after);
  }

  /** The resident set grows by heap and class metadata, not by a thread stack or buffer per stream. */
  private static void assertRssGrowthBounded(ResourceUsage before, ResourceUsage after) {
    if (before.rssMiB() >= 0) {
      assertThat(after.rssMiB() - before.rssMiB()).as("RSS growth, MiB").isLessThanOrEqualTo(RSS_GROWTH_MIB);
    }
  }

  /** {@code calls} ordinary calls from 8 threads over a grpc-java channel; every one must succeed. */
  private int assertServing(int calls) throws Exception {
    return TestServices.assertAllSucceed(server, calls);
  }
}
