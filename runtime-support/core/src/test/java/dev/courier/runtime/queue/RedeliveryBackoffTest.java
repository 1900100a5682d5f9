package dev.courier.runtime.queue;

import static dev.courier.runtime.queue.TestMethods.ECHO;
import static dev.courier.runtime.queue.TestMethods.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.courier.runtime.queue.memory.InMemoryQueue;
import dev.courier.runtime.retry.Backoff;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A handler that throws runs again only after the worker's redelivery backoff, on its lane. */
class RedeliveryBackoffTest {
  @Test
  void failedHandlerRunsAgainAfterEachConfiguredWait() throws Exception {
    List<Duration> waits = new CopyOnWriteArrayList<>();
    List<Integer> runsAtEachWait = new CopyOnWriteArrayList<>();
    AtomicInteger runs = new AtomicInteger();
    try (InMemoryQueue queue = InMemoryQueue.create();
        QueueWorkerRuntime worker = QueueWorkerRuntime.builder(queue)
            .maxDeliveryAttempts(4)
            .redeliveryBackoff(Duration.ofMillis(200), Duration.ofMillis(500))
            .sleeper(delay -> {
              waits.add(delay);
              runsAtEachWait.add(runs.get());
            })
            .handle(ECHO, req -> {
              if (runs.incrementAndGet() < 4) {
                throw new IllegalStateException("database down");
              }
              return req;
            }).start();
        QueueClientRuntime client = QueueClientRuntime.create(queue)) {

      assertThat(client.call(ECHO, text("k:retried")).get(20, TimeUnit.SECONDS).getValue()).isEqualTo("k:retried");

      assertThat(waits).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(500));
      assertThat(runsAtEachWait).as("each wait comes after a failed run").containsExactly(1, 2, 3);
      assertThat(worker.stats().executed()).isEqualTo(1);
    }
  }

  @Test
  void defaultBackoffWaitsAFewTenthsOfASecondGrowingToSeconds() {
    Backoff backoff = QueueWorkerRuntime.DEFAULT_REDELIVERY_BACKOFF;
    java.util.random.RandomGenerator top = new java.util.Random() {
      @Override
      public double nextDouble() {
        return 0.999999;
      }
    };
    assertThat(Duration.ofNanos(backoff.delayNanos(1, top))).isBetween(Duration.ofMillis(99), Duration.ofMillis(100));
    assertThat(Duration.ofNanos(backoff.delayNanos(10, top))).isBetween(Duration.ofMillis(4999), Duration.ofSeconds(5));
  }
}
