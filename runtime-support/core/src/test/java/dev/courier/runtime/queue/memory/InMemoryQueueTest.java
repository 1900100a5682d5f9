package dev.courier.runtime.queue.memory;

import static dev.courier.runtime.queue.TestMethods.ECHO;
import static dev.courier.runtime.queue.TestMethods.await;
import static dev.courier.runtime.queue.TestMethods.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.StringValue;
import dev.courier.runtime.CourierException;
import dev.courier.runtime.queue.QueueClientRuntime;
import dev.courier.runtime.queue.QueueContractTest;
import dev.courier.runtime.queue.QueueMessage;
import dev.courier.runtime.queue.QueueTransport;
import dev.courier.runtime.queue.QueueWorkerRuntime;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The queue contract on {@link InMemoryQueue}, and its back-pressure. */
class InMemoryQueueTest extends QueueContractTest {
  private InMemoryQueue queue;

  @Override
  protected QueueTransport newTransport() {
    queue = InMemoryQueue.create();
    return queue;
  }

  @Override
  protected List<QueueMessage> awaitDeadLetters(String method, int count) {
    await(count + " dead letters", WAIT, () -> queue.deadLetters(method).size() >= count);
    return queue.deadLetters(method);
  }

  @Test
  void fullQueueFailsClearlyAfterWaitingTheConfiguredTime() {
    InMemoryQueue small = track(InMemoryQueue.builder().capacity(2).fullQueueTimeout(Duration.ofMillis(150)).build());
    QueueClientRuntime c = track(QueueClientRuntime.create(small));
    c.send(ECHO, text("k:1")).join();
    c.send(ECHO, text("k:2")).join();

    long start = System.nanoTime();
    CompletableFuture<Void> third = c.send(ECHO, text("k:3"));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    CourierException e = failure(third);
    assertThat(e.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.description()).isEqualTo("queue of test.Echo/Echo is full (capacity: 2, waited 150 ms)");
  }

  @Test
  void fullQueueAcceptsOnceAWorkerMakesRoom() throws Exception {
    InMemoryQueue small = track(InMemoryQueue.builder().capacity(1).fullQueueTimeout(Duration.ofSeconds(30)).build());
    QueueClientRuntime c = track(QueueClientRuntime.create(small));
    CompletableFuture<StringValue> first = c.call(ECHO, text("k:1"));
    CompletableFuture<CompletableFuture<StringValue>> second = new CompletableFuture<>();
    Thread caller = new Thread(() -> second.complete(c.call(ECHO, text("k:2"))), "second-caller");
    caller.start();
    await("the second call to wait for room", WAIT, () -> waiting(caller));
    assertThat(second).as("the second call, queue full").isNotDone();

    track(QueueWorkerRuntime.builder(small).handle(ECHO, req -> req).start());

    assertThat(get(first)).isEqualTo(text("k:1"));
    assertThat(get(get(second))).isEqualTo(text("k:2"));
  }

  @Test
  void zeroCapacityShouldFail() {
    assertThatThrownBy(() -> InMemoryQueue.builder().capacity(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("capacity: 0 (expected: >= 1)");
  }

  @Test
  void zeroConcurrencyShouldFail() {
    assertThatThrownBy(() -> QueueWorkerRuntime.builder(queue).concurrency(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("concurrency: 0 (expected: >= 1)");
  }
}
