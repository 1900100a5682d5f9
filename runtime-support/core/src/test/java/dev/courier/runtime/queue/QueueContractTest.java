package dev.courier.runtime.queue;

import static dev.courier.runtime.queue.TestMethods.ECHO;
import static dev.courier.runtime.queue.TestMethods.NOTIFY;
import static dev.courier.runtime.queue.TestMethods.await;
import static dev.courier.runtime.queue.TestMethods.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Empty;
import com.google.protobuf.StringValue;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.context.CallContext;
import io.grpc.Metadata;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link QueueTransport} must show, run against each one by a subclass. Each
 * test gets a fresh transport (on Kafka: fresh topics and group), and everything it starts is
 * closed after it.
 */
public abstract class QueueContractTest {
  protected static final Duration WAIT = Duration.ofSeconds(20);

  private final List<AutoCloseable> resources = new ArrayList<>();
  protected QueueTransport transport;
  protected QueueClientRuntime client;

  /** A fresh transport, isolated from those of other tests. */
  protected abstract QueueTransport newTransport();

  /** The dead letters of {@code method} once there are {@code count} of them. */
  protected abstract List<QueueMessage> awaitDeadLetters(String method, int count);

  @BeforeEach
  void openClient() {
    transport = track(newTransport());
    client = track(QueueClientRuntime.create(transport));
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
  }

  protected <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }

  protected QueueWorkerRuntime.Builder worker() {
    return QueueWorkerRuntime.builder(transport).concurrency(4);
  }

  protected static <T> T get(CompletableFuture<T> future) throws Exception {
    return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  protected static CourierException failure(CompletableFuture<?> future) {
    try {
      future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(CourierException.class);
      return (CourierException) e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected the call to fail");
  }

  @Test
  void callCompletesWithTheWorkersReply() throws Exception {
    track(worker().handle(ECHO, req -> text("echo " + req.getValue())).start());

    assertThat(get(client.call(ECHO, text("k:hello"))).getValue()).isEqualTo("echo k:hello");
    assertThat(client.stats().sent()).isEqualTo(1);
    assertThat(client.stats().replied()).isEqualTo(1);
  }

  @Test
  void handlerStatusReachesTheCallerUnchanged() throws Exception {
    track(worker().handle(ECHO, req -> {
      throw CourierException.of(Status.Code.NOT_FOUND, "no such item: " + req.getValue());
    }).start());

    CourierException e = failure(client.call(ECHO, text("k:42")));

    assertThat(e.code()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(e.description()).isEqualTo("no such item: k:42");
  }

  @Test
  void callsWithOneHashKeyRunInSendOrder() throws Exception {
    Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
    track(worker().handle(ECHO, req -> {
      String[] parts = req.getValue().split(":");
      seen.computeIfAbsent(parts[0], k -> new CopyOnWriteArrayList<>()).add(Integer.parseInt(parts[1]));
      return req;
    }).start());

    callFiveKeysAndAssertEachInSendOrder(200, seen);
  }

  /**
   * Makes {@code count} calls at once, {@code key<i % 5>:<i>}, and checks that the handler saw
   * ({@code seen}, by key) each key's calls in send order.
   */
  private void callFiveKeysAndAssertEachInSendOrder(int count, Map<String, List<Integer>> seen) throws Exception {
    List<CompletableFuture<StringValue>> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      calls.add(client.call(ECHO, text("key" + (i % 5) + ":" + i)));
    }
    CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).get(20, TimeUnit.SECONDS);

    assertThat(seen).hasSize(5);
    seen.values().forEach(list -> assertThat(list).hasSize(count / 5).isSorted());
  }

  /**
   * Quick calls first, one at a time, so that every lane runs calls on the transport's thread where
   * it can (Kafka); then calls with five keys at once, a few slow enough to send their lane's
   * next calls to the lane's own thread: each key's calls still run in send order.
   */
  @Test
  void callsWithOneHashKeyRunInSendOrderWhenQuickAndSlowCallsMix() throws Exception {
    Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
    track(worker().concurrency(2).quickCallNanos(QUICK_IN_TESTS).handle(ECHO, req -> {
      String[] parts = req.getValue().split(":");
      int n = Integer.parseInt(parts[1]);
      if (n >= 0) {
        seen.computeIfAbsent(parts[0], k -> new CopyOnWriteArrayList<>()).add(n);
      }
      if (n % 97 == 3) {
        long until = System.nanoTime() + QUICK_IN_TESTS * WorkerLane.SLOW_FACTOR + 1_000_000;
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
      }
      return req;
    }).start());
    for (int i = 0; i < 6 * WorkerLane.QUICK_STREAK; i++) {
      get(client.call(ECHO, text("warm" + (i % 4) + ":-1")));
    }

    callFiveKeysAndAssertEachInSendOrder(400, seen);
  }

  /**
   * A handler that blocks, after quick calls let its lane run calls on the transport's thread (on
   * Kafka, the consumer's): calls on the other lane are still taken and answered meanwhile, and the
   * blocked key's next call runs after it, once it is released.
   */
  @Test
  void blockedHandlerHoldsUpOnlyItsOwnKeysCalls() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocked = new CountDownLatch(1);
    List<String> order = new CopyOnWriteArrayList<>();
    AtomicReference<String> blockerThread = new AtomicReference<>();
    track(worker().concurrency(2).quickCallNanos(QUICK_IN_TESTS).handle(ECHO, req -> {
      if (req.getValue().endsWith(":block")) {
        blockerThread.set(Thread.currentThread().getName());
        blocked.countDown();
        if (!release.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
      }
      order.add(req.getValue());
      return req;
    }).start());
    String held = keyOnLane(0, 2);
    String free = keyOnLane(1, 2);
    for (int i = 0; i < 6 * WorkerLane.QUICK_STREAK; i++) {
      get(client.call(ECHO, text((i % 2 == 0 ? held : free) + ":warm")));
    }

    CompletableFuture<StringValue> blocker = client.call(ECHO, text(held + ":block"));
    assertThat(blocked.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    if (transport.survivesBlockingHandler()) {
      // It runs on the transport's thread, not on its lane's: the case this test is about.
      assertThat(blockerThread.get()).doesNotStartWith("courier-queue-worker-");
    }
    CompletableFuture<StringValue> behind = client.call(ECHO, text(held + ":after"));
    assertThat(get(client.call(ECHO, text(free + ":meanwhile"))).getValue()).isEqualTo(free + ":meanwhile");
    assertThat(blocker).isNotDone();
    assertThat(behind).isNotDone();
    release.countDown();

    assertThat(get(behind).getValue()).isEqualTo(held + ":after");
    assertThat(get(blocker).getValue()).isEqualTo(held + ":block");
    assertThat(order).containsSubsequence(free + ":meanwhile", held + ":block", held + ":after");
  }

  /**
   * The average call time up to which the tests' lanes run calls on the transport's thread: their
   * calls run mostly before the JIT has compiled them, so much slower than the default allows.
   */
  private static final long QUICK_IN_TESTS = TimeUnit.MILLISECONDS.toNanos(5);

  /** A hash key whose calls go to lane {@code lane} of {@code lanes}. */
  private static String keyOnLane(int lane, int lanes) {
    for (int i = 0; ; i++) {
      String key = "key" + i;
      if (Math.floorMod(key.hashCode(), lanes) == lane) {
        return key;
      }
    }
  }

  @Test
  void sameRequestDeliveredTwiceRunsOnceAndIsAnsweredTwice() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    QueueWorkerRuntime worker = track(worker().handle(ECHO, req -> {
      runs.incrementAndGet();
      return text("ran " + req.getValue());
    }).start());
    List<QueueMessage> replies = new CopyOnWriteArrayList<>();
    ReplyQueue replyQueue = track(transport.openReplyQueue(replies::add));
    QueueMessage request = QueueMessage.builder(text("k:once").toByteArray()).key("k")
        .id(new CallId(UUID.randomUUID().getMostSignificantBits(), 1)).replyTo(replyQueue.address()).build();

    get(transport.publishRequest(ECHO.fullName(), request));
    get(transport.publishRequest(ECHO.fullName(), request));
    await("two replies", WAIT, () -> replies.size() == 2);

    assertThat(runs).hasValue(1);
    assertThat(worker.stats().deduplicated()).isEqualTo(1);
    for (QueueMessage reply : replies) {
      assertThat(reply.status()).as("a success").isZero();
      assertThat(reply.id()).isEqualTo(request.id());
      assertThat(StringValue.parseFrom(reply.body()).getValue()).isEqualTo("ran k:once");
    }
  }

  @Test
  void callWhoseDeadlinePassedInTheQueueIsNotRun() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CompletableFuture<StringValue> call = client.withTimeout(Duration.ofMillis(300)).call(ECHO, text("k:late"));

    CourierException e = failure(call);
    assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(client.stats().timedOut()).isEqualTo(1);

    QueueWorkerRuntime worker = track(worker().handle(ECHO, req -> {
      runs.incrementAndGet();
      return req;
    }).start());
    await("the worker to see the expired call", WAIT, () -> worker.stats().expired() == 1);
    await("the worker's late answer", WAIT, () -> client.stats().lateReplies() == 1);
    assertThat(runs).hasValue(0);
  }

  @Test
  void replyAfterTheTimeoutGivesDeadlineExceededAndIsCountedLate() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    track(worker().handle(ECHO, req -> {
      if (req.getValue().equals("k:slow")) {
        entered.countDown();
        release.await(); // answers only once the caller has timed out
      }
      return req;
    }).start());
    track(release::countDown);
    // A first call proves the worker takes requests (on Kafka: its partitions are assigned), so the
    // 200 ms below are spent in the handler, not in the consumer group's join, which would let the
    // request expire in the queue unrun.
    assertThat(get(client.call(ECHO, text("k:warm"))).getValue()).isEqualTo("k:warm");

    CompletableFuture<StringValue> call = client.withTimeout(Duration.ofMillis(200)).call(ECHO, text("k:slow"));
    assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the handler runs").isTrue();
    CourierException e = failure(call);
    release.countDown();

    assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(e.description()).contains("test.Echo/Echo", "200 ms");
    await("the late reply", WAIT, () -> client.stats().lateReplies() == 1);
    assertThat(client.stats().replied()).as("replies in time: the first call's only").isEqualTo(1);
  }

  @Test
  void undecodableRequestIsDeadLetteredWithTheError() throws Exception {
    QueueWorkerRuntime worker = track(worker().handle(ECHO, req -> req).start());
    List<QueueMessage> replies = new CopyOnWriteArrayList<>();
    ReplyQueue replyQueue = track(transport.openReplyQueue(replies::add));
    QueueMessage garbage = QueueMessage.builder(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff})
        .id(new CallId(7, 1)).replyTo(replyQueue.address()).build();

    get(transport.publishRequest(ECHO.fullName(), garbage));

    List<QueueMessage> dead = awaitDeadLetters(ECHO.fullName(), 1);
    assertThat(dead.get(0).header(QueueHeaders.ERROR))
        .startsWith("request could not be decoded: com.google.protobuf.InvalidProtocolBufferException: ");
    assertThat(dead.get(0).id()).isEqualTo(new CallId(7, 1));
    assertThat(dead.get(0).header(QueueHeaders.METHOD)).isEqualTo(ECHO.fullName());
    assertThat(dead.get(0).body()).containsExactly(0xff, 0xff, 0xff);
    await("the caller's answer", WAIT, () -> replies.size() == 1);
    assertThat(replies.get(0).status()).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
    assertThat(worker.stats().deadLettered()).isEqualTo(1);
  }

  @Test
  void handlerThatKeepsFailingIsDeadLetteredAfterMaxAttempts() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    QueueWorkerRuntime worker = track(worker().maxDeliveryAttempts(3).handle(ECHO, req -> {
      runs.incrementAndGet();
      throw new IllegalStateException("database down");
    }).start());

    CourierException e = failure(client.call(ECHO, text("k:doomed")));

    assertThat(e.code()).isEqualTo(Status.Code.UNKNOWN);
    assertThat(e.description()).contains("failed 3 times; dead-lettered");
    assertThat(runs).hasValue(3);
    List<QueueMessage> dead = awaitDeadLetters(ECHO.fullName(), 1);
    assertThat(dead.get(0).header(QueueHeaders.ERROR)).contains("IllegalStateException", "database down");
    assertThat(dead.get(0).header(QueueHeaders.ATTEMPTS)).isEqualTo("3");
    assertThat(StringValue.parseFrom(dead.get(0).body()).getValue()).isEqualTo("k:doomed");
    assertThat(worker.stats().deadLettered()).isEqualTo(1);
  }

  /**
   * A failed handler's next attempt would start after the caller's deadline (its backoff is longer
   * than the time left): the worker neither waits for it nor runs it, but dead-letters the request
   * at once, answering DEADLINE_EXCEEDED. Before, it waited and ran the handler again for a caller
   * long gone, holding the lane.
   */
  @Test
  void failedHandlerIsNotRunAgainWhenItsNextAttemptWouldStartAfterTheCallersDeadline() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    QueueWorkerRuntime worker = track(worker().maxDeliveryAttempts(3)
        .redeliveryBackoff(Duration.ofSeconds(5), Duration.ofSeconds(5)).handle(ECHO, req -> {
          runs.incrementAndGet();
          throw new IllegalStateException("database down");
        }).start());
    QueueClientRuntime calls = client.withTimeout(Duration.ofMillis(1500));

    CourierException e = failure(calls.call(ECHO, text("k:late")));

    assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    List<QueueMessage> dead = awaitDeadLetters(ECHO.fullName(), 1);
    assertThat(dead.get(0).header(QueueHeaders.ERROR)).contains("database down", "after the caller's deadline");
    assertThat(dead.get(0).header(QueueHeaders.ATTEMPTS)).isEqualTo("1");
    assertThat(runs).as("run once, not again past the deadline").hasValue(1);
    assertThat(worker.stats().deadLettered()).isEqualTo(1);
  }

  @Test
  void handlerThatFailsOnceIsRunAgainAndAnswers() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    track(worker().handle(ECHO, req -> {
      if (runs.incrementAndGet() == 1) {
        throw new IllegalStateException("flaky");
      }
      return req;
    }).start());

    assertThat(get(client.call(ECHO, text("k:flaky"))).getValue()).isEqualTo("k:flaky");
    assertThat(runs).hasValue(2);
  }

  @Test
  void sendCompletesWhenEnqueuedAndTheWorkerRunsIt() throws Exception {
    List<String> got = new CopyOnWriteArrayList<>();
    track(worker().handle(NOTIFY, req -> {
      got.add(req.getValue());
      return Empty.getDefaultInstance();
    }).start());

    get(client.send(NOTIFY, text("fire")));

    await("the notification", WAIT, () -> got.size() == 1);
    assertThat(got).containsExactly("fire");
    assertThat(client.stats().sent()).isEqualTo(1);
  }

  @Test
  void gracefulCloseFinishesCallsInFlightAndAcknowledgesThem() throws Exception {
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    Semaphore entered = new Semaphore(0);
    CountDownLatch release = new CountDownLatch(1);
    track(release::countDown);
    QueueWorkerRuntime first = worker().concurrency(2).handle(ECHO, req -> {
      runs.computeIfAbsent(req.getValue(), k -> new AtomicInteger()).incrementAndGet();
      entered.release();
      release.await(); // in flight until close() has begun
      return req;
    }).start();
    List<CompletableFuture<StringValue>> calls = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      calls.add(client.call(ECHO, text("key" + i + ":" + i)));
    }
    assertThat(entered.tryAcquire(WAIT.toSeconds(), TimeUnit.SECONDS)).as("a call in flight").isTrue();

    Thread closer = new Thread(first::close, "closer");
    closer.start();
    await("close() to wait for the calls in flight", WAIT, () -> waiting(closer));
    release.countDown();
    closer.join(WAIT.toMillis());
    assertThat(closer.isAlive()).as("close() returned").isFalse();

    Set<String> startedBeforeClose = Set.copyOf(runs.keySet());
    assertThat(startedBeforeClose).isNotEmpty();
    for (int i = 0; i < calls.size(); i++) {
      if (startedBeforeClose.contains("key" + i + ":" + i)) {
        assertThat(get(calls.get(i)).getValue()).isEqualTo("key" + i + ":" + i);
      }
    }
    track(worker().handle(ECHO, req -> {
      runs.computeIfAbsent(req.getValue(), k -> new AtomicInteger()).incrementAndGet();
      return req;
    }).start());

    CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).get(20, TimeUnit.SECONDS);
    assertThat(runs).hasSize(12);
    runs.forEach((value, count) -> assertThat(count).as(value).hasValue(1));
  }

  /** Whether {@code thread} is parked (in a wait, a join, a lock, or a sleep). */
  protected static boolean waiting(Thread thread) {
    Thread.State state = thread.getState();
    return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
  }

  @Test
  void workerKilledMidStreamLosesNoCall() throws Exception {
    Set<String> ran = ConcurrentHashMap.newKeySet();
    AtomicInteger started = new AtomicInteger();
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    track(never::countDown);
    QueueWorkerRuntime doomed = worker().concurrency(2).handle(ECHO, req -> {
      if (started.incrementAndGet() > 3) {
        held.countDown();
        never.await(); // in flight when the worker is killed (abort interrupts it)
      }
      ran.add(req.getValue());
      return req;
    }).start();
    List<CompletableFuture<StringValue>> calls = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      calls.add(client.call(ECHO, text("key" + i + ":" + i)));
    }
    assertThat(held.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("a call in flight").isTrue();
    await("three calls to run", WAIT, () -> ran.size() == 3);

    doomed.abort();
    assertThat(calls.stream().filter(CompletableFuture::isDone).count()).isLessThan(30);
    track(worker().handle(ECHO, req -> {
      ran.add(req.getValue());
      return req;
    }).start());

    CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0])).get(20, TimeUnit.SECONDS);
    for (int i = 0; i < 30; i++) {
      assertThat(calls.get(i).get().getValue()).isEqualTo("key" + i + ":" + i);
    }
    assertThat(ran).hasSize(30);
  }

  /**
   * Waits until the workers of this test have committed {@code count} requests in all, where the
   * transport commits (Kafka); nothing to wait for otherwise.
   */
  protected void awaitCommitted(int count) {}

  /**
   * A transport may keep a request past its call's deadline (Kafka's producer retries a record for
   * its delivery timeout, one per producer, not per call): the call still ends at its deadline, and
   * the request, delivered late, does not run.
   */
  @Test
  void requestKeptPastItsDeadlineFailsTheCallThenAndDoesNotRunWhenDelivered() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    QueueWorkerRuntime worker = track(worker().handle(ECHO, req -> {
      runs.incrementAndGet();
      return req;
    }).start());
    FailingReplies keeping = new FailingReplies(transport);
    QueueClientRuntime calls = track(QueueClientRuntime.create(keeping)).withTimeout(Duration.ofMillis(300));
    keeping.holdRequests(true);
    long start = System.nanoTime();

    CourierException e = failure(calls.call(ECHO, text("k:kept")));

    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    assertThat(elapsedMs).as("ended at its deadline, its request still kept").isBetween(300L, 3_000L);
    assertThat(keeping.heldRequests()).isEqualTo(1);
    keeping.holdRequests(false);
    await("the late request refused", WAIT, () -> worker.stats().expired() == 1);
    assertThat(runs).as("a request delivered after its deadline does not run").hasValue(0);
  }

  @Test
  void replyThatCannotBePublishedForAWhileIsPublishedAgainAndAnswersTheCall() throws Exception {
    FailingReplies replies = new FailingReplies(transport);
    replies.fail(true);
    track(QueueWorkerRuntime.builder(replies).concurrency(2).maxInFlight(2).handle(ECHO, req -> req).start());
    List<CompletableFuture<StringValue>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(client.call(ECHO, text("key" + i + ":" + i)));
    }
    // Both in-flight slots hold a call whose reply failed, and at least one was tried again.
    await("failed reply publishes", WAIT, () -> replies.failures() >= 3);
    assertThat(calls).noneMatch(CompletableFuture::isDone);

    replies.fail(false);

    for (int i = 0; i < 6; i++) {
      assertThat(get(calls.get(i)).getValue()).isEqualTo("key" + i + ":" + i);
    }
    awaitCommitted(6);
  }

  @Test
  void replyThatCannotBePublishedBeforeTheDeadlineFreesItsSlotAndCommitsGoOn() throws Exception {
    FailingReplies replies = new FailingReplies(transport);
    replies.fail(true);
    track(QueueWorkerRuntime.builder(replies).concurrency(2).maxInFlight(2).handle(ECHO, req -> req).start());
    // Taken in time or expired in the queue, each of these gets a reply that cannot be published.
    QueueClientRuntime impatient = client.withTimeout(Duration.ofMillis(1500));
    List<CompletableFuture<StringValue>> doomed = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      doomed.add(impatient.call(ECHO, text("key" + i + ":doomed")));
    }
    for (CompletableFuture<StringValue> call : doomed) {
      assertThat(failure(call).code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    }

    replies.fail(false);

    // With the four stuck in the worker's two slots, these would never be taken.
    for (int i = 0; i < 4; i++) {
      assertThat(get(client.call(ECHO, text("key" + i + ":after"))).getValue()).isEqualTo("key" + i + ":after");
    }
    awaitCommitted(8);
  }

  @Test
  void workerSeesTheCallersRemainingDeadlineAndMetadataInItsCallContext() throws Exception {
    AtomicReference<CallContext> seen = new AtomicReference<>();
    AtomicReference<io.grpc.Deadline> grpcDeadline = new AtomicReference<>();
    track(worker().handle(ECHO, req -> {
      seen.set(CallContext.current());
      grpcDeadline.set(io.grpc.Context.current().getDeadline());
      return req;
    }).start());
    Metadata metadata = new Metadata();
    metadata.put(Metadata.Key.of("x-tenant", Metadata.ASCII_STRING_MARSHALLER), "acme");
    metadata.put(Metadata.Key.of("trace-bin", Metadata.BINARY_BYTE_MARSHALLER), new byte[] {1, 2, 3});

    get(client.withTimeout(Duration.ofSeconds(20)).withMetadata(metadata).call(ECHO, text("k:ctx")));

    CallContext context = seen.get();
    assertThat(context.transport()).isEqualTo(CallContext.Transport.QUEUE);
    assertThat(context.fullMethodName()).isEqualTo(ECHO.fullName());
    assertThat(context.header("x-tenant")).contains("acme");
    assertThat(context.binaryHeader("trace-bin")).hasValueSatisfying(v -> assertThat(v).containsExactly(1, 2, 3));
    assertThat(context.remaining()).hasValueSatisfying(left ->
        assertThat(left).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(20)));
    assertThat(grpcDeadline.get()).as("gRPC's deadline, for calls the handler makes").isNotNull();
    assertThat(grpcDeadline.get().timeRemaining(TimeUnit.SECONDS)).isBetween(0L, 20L);
  }

  /**
   * The handler's gRPC context is cancelled at the caller's deadline (so a call it makes stops
   * then), with gRPC's cause; the next call's context, with a later deadline, is not.
   */
  @Test
  void workersContextIsCancelledAtTheCallersDeadline() throws Exception {
    AtomicReference<Throwable> cause = new AtomicReference<>();
    CountDownLatch sawCancellation = new CountDownLatch(1);
    AtomicReference<Boolean> nextCancelled = new AtomicReference<>();
    track(worker().handle(ECHO, req -> {
      io.grpc.Context context = io.grpc.Context.current();
      if (req.getValue().endsWith(":wait")) {
        CountDownLatch cancelled = new CountDownLatch(1);
        context.addListener(c -> cancelled.countDown(), Runnable::run);
        if (cancelled.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
          cause.set(context.cancellationCause());
          sawCancellation.countDown();
        }
      } else {
        nextCancelled.set(context.isCancelled());
      }
      return req;
    }).start());

    CompletableFuture<StringValue> waiting = client.withTimeout(Duration.ofMillis(300)).call(ECHO, text("k:wait"));

    assertThat(sawCancellation.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("cancelled at the deadline").isTrue();
    assertThat(cause.get()).isInstanceOf(java.util.concurrent.TimeoutException.class);
    // Its answer comes when the client's own timer has failed it, or just before: either way, it ends.
    waiting.handle((reply, error) -> null).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    get(client.withTimeout(Duration.ofSeconds(20)).call(ECHO, text("k:next")));
    assertThat(nextCancelled.get()).isFalse();
  }

  @Test
  void workerSeesNoMetadataWhenTheCallerSentNone() throws Exception {
    AtomicReference<CallContext> seen = new AtomicReference<>();
    track(worker().handle(ECHO, req -> {
      seen.set(CallContext.current());
      return req;
    }).start());

    get(client.call(ECHO, text("k:plain")));

    assertThat(seen.get().headerNames()).isEmpty();
    assertThat(seen.get().hasDeadline()).as("every call has a timeout, 30 s by default").isTrue();
  }

  @Test
  void closedClientFailsNewCallsWithUnavailable() {
    client.close();

    assertThatThrownBy(() -> get(client.call(ECHO, text("k:closed"))))
        .hasCauseInstanceOf(CourierException.class)
        .hasMessageContaining("UNAVAILABLE");
  }
}
